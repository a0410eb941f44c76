/** What the image scanner knows about one image (one platform of it). */
export interface ImageRef {
  /** Registry host[:port], e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com` or `127.0.0.1:5000`. */
  registry: string;
  repository: string;
  tag: string | null;
  /** Manifest digest (`sha256:...`) of this platform's image. */
  digest: string | null;
  /** `linux/amd64`, `linux/arm64/v8`, ... */
  platform: string | null;
}

/** The OCI image config (the parts the checks read). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  /** CPU variant (`v7`, `v8`), when the platform has one. */
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    ExposedPorts?: Record<string, unknown>;
    Volumes?: Record<string, unknown>;
    Labels?: Record<string, string>;
    Healthcheck?: { Test?: string[] };
    WorkingDir?: string;
  };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
  rootfs?: { type: string; diff_ids: string[] };
}

export interface Layer {
  /** Compressed blob digest (what the manifest lists). */
  digest: string;
  mediaType: string;
  size: number;
  /** Index of the history entry that created this layer, when known. */
  historyIndex: number | null;
}

/** One installed package, as an analyzer found it. */
export interface InstalledPackage {
  /** OSV ecosystem name: `Debian:12`, `Alpine:v3.19`, `Red Hat`, `npm`, `PyPI`, `Go`, `Maven`, ... */
  ecosystem: string;
  name: string;
  version: string;
  /** Distro source package (advisories are keyed on it): name and version. */
  sourceName?: string;
  sourceVersion?: string;
  arch?: string;
  /** Where it was found (status file, lockfile, binary path, jar). */
  path: string;
  /** Layer that introduced it. */
  layerDigest: string;
}

export interface OsRelease {
  /** os-release ID: debian, ubuntu, alpine, amzn, rhel, rocky, wolfi, ... */
  id: string;
  versionId: string | null;
  prettyName: string | null;
  /** Distroless images have no os-release but a dpkg status.d; recorded here when detected. */
  distroless?: boolean;
}
