import type { Readable } from 'node:stream';
import type { Descriptor, FetchedManifest } from '../manifest.ts';

/** Where a top-level manifest came from, as far as the source knows it. */
export interface RootManifest {
  /** Null for a `docker save` archive in the legacy layout, which has no manifest blobs. */
  manifest: FetchedManifest | null;
  /** The digest to report for it; null when it is not content-addressed (an OCI layout's index.json). */
  digest: string | null;
  /** The legacy archive's image, already in manifest form (config and layer descriptors). */
  legacy?: { config: Descriptor; layers: Descriptor[] };
  registry: string;
  repository: string;
  tag: string | null;
}

/**
 * What the reader needs from a registry, an OCI image layout or an archive: the top-level
 * manifests, child manifests by digest, and blobs as streams (read once, never written to disk).
 */
export interface ImageStore {
  /** For messages: the reference or path. */
  readonly name: string;
  /** A registry (blobs come over the network) rather than local files. */
  readonly remote: boolean;
  roots(): Promise<RootManifest[]>;
  manifest(descriptor: Descriptor): Promise<FetchedManifest>;
  blob(descriptor: Descriptor, signal?: AbortSignal): Promise<Readable>;
  close?(): Promise<void>;
}
