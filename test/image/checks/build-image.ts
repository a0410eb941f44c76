// Builds small OCI image layouts for the image tests: real tar layers (gzip), a config with history,
// manifests and an index, written as content-addressed blobs like any OCI tool writes them.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { ImageConfig } from '../../../shared/image/model.ts';

export type FileSpec =
  | string
  | Buffer
  | { content?: string | Buffer; mode?: number; uid?: number; gid?: number; type?: 'file' | 'directory' | 'symlink'; linkname?: string };

export interface LayerSpec {
  /** Path (no leading `/`) -> content or entry details. Parent directories are not added implicitly. */
  files?: Record<string, FileSpec>;
  /** Paths this layer deletes (written as `.wh.<name>` whiteouts). */
  delete?: string[];
  /** Directories this layer makes opaque (`.wh..wh..opq`). */
  opaque?: string[];
  /** The history entry's created_by. */
  createdBy?: string;
}

export interface ImageSpec {
  layers: LayerSpec[];
  config?: NonNullable<ImageConfig['config']>;
  /** History entries with no layer (ENV, USER, ...), inserted before the layer at the given index. */
  emptyHistory?: { before: number; createdBy: string }[];
  /** Drop the history altogether (a squashed image). */
  noHistory?: boolean;
  created?: string;
  author?: string;
  architecture?: string;
  variant?: string;
}

export interface BuiltImage {
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  manifest: Buffer;
  config: Buffer;
  layers: Buffer[];
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** One gzip-compressed tar layer. */
export async function layerTar(layer: LayerSpec): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  const entry = (header: { name: string; mode: number; type?: 'file' | 'directory' | 'symlink'; linkname?: string; uid?: number; gid?: number }, body?: Buffer) => {
    const full = { mtime: new Date(0), ...header, uid: header.uid ?? 0, gid: header.gid ?? 0 } as tar.Header;
    return new Promise<void>((resolve, reject) => pack.entry(full, body ?? Buffer.alloc(0), (e) => (e ? reject(e) : resolve())));
  };
  for (const dir of layer.opaque ?? []) await entry({ name: `${dir}/.wh..wh..opq`, mode: 0o644 });
  for (const path of layer.delete ?? []) {
    const slash = path.lastIndexOf('/');
    await entry({ name: `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`, mode: 0o644 });
  }
  for (const [name, spec] of Object.entries(layer.files ?? {})) {
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) {
      await entry({ name, mode: 0o644, type: 'file' }, Buffer.from(spec));
      continue;
    }
    const type = spec.type ?? 'file';
    if (type === 'directory') await entry({ name, type: 'directory', mode: spec.mode ?? 0o755, uid: spec.uid, gid: spec.gid });
    else if (type === 'symlink') await entry({ name, type: 'symlink', linkname: spec.linkname, mode: spec.mode ?? 0o777 });
    else await entry({ name, type: 'file', mode: spec.mode ?? 0o644, uid: spec.uid, gid: spec.gid }, Buffer.from(spec.content ?? ''));
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** The config, layers and manifest of one image (not yet written anywhere). */
export async function buildImage(spec: ImageSpec): Promise<BuiltImage> {
  const layers = await Promise.all(spec.layers.map(layerTar));
  const history: NonNullable<ImageConfig['history']> = [];
  spec.layers.forEach((layer, i) => {
    for (const e of spec.emptyHistory ?? []) if (e.before === i) history.push({ created: spec.created, created_by: e.createdBy, empty_layer: true });
    history.push({ created: spec.created, created_by: layer.createdBy ?? '' });
  });
  for (const e of spec.emptyHistory ?? []) if (e.before >= spec.layers.length) history.push({ created: spec.created, created_by: e.createdBy, empty_layer: true });
  const config: ImageConfig = {
    architecture: spec.architecture ?? 'amd64',
    os: 'linux',
    ...(spec.created ? { created: spec.created } : {}),
    ...(spec.author ? { author: spec.author } : {}),
    config: spec.config ?? {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(gunzipSync(l))) },
    ...(spec.noHistory ? {} : { history }),
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(configBytes), size: configBytes.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(l), size: l.length })),
    }),
  );
  return { manifestDigest: sha256(manifest), configDigest: sha256(configBytes), layerDigests: layers.map(sha256), manifest, config: configBytes, layers };
}

function writeBlob(dir: string, bytes: Buffer): string {
  const digest = sha256(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  return digest;
}

export interface LayoutOptions {
  /** Tag recorded in index.json (`org.opencontainers.image.ref.name`). */
  tag?: string;
  /** Extra descriptors for index.json (artifacts, attestations). */
  extraManifests?: { mediaType: string; bytes: Buffer; artifactType?: string; annotations?: Record<string, string> }[];
  /** More top-level manifests of the layout, each under its own tag (a cosign `sha256-<hex>.sig`, say). */
  extraRoots?: { tag: string; mediaType: string; bytes: Buffer }[];
}

/**
 * Writes an OCI image layout: one image, or several platforms under an image index. The folder is
 * named `app` (readers name the repository after it), so scans of different layouts compare.
 * Returns the folder and what was written.
 */
export async function writeOciLayout(images: ImageSpec | ImageSpec[], options: LayoutOptions = {}, dir = join(mkdtempSync(join(tmpdir(), 'shipwatch-oci-')), 'app')): Promise<{ dir: string; images: BuiltImage[]; rootDigest: string }> {
  mkdirSync(dir, { recursive: true });
  const list = Array.isArray(images) ? images : [images];
  const built = await Promise.all(list.map(buildImage));
  for (const image of built) {
    writeBlob(dir, image.config);
    for (const layer of image.layers) writeBlob(dir, layer);
    writeBlob(dir, image.manifest);
  }
  const annotations = options.tag ? { 'org.opencontainers.image.ref.name': options.tag } : undefined;
  let root: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> };
  if (Array.isArray(images)) {
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          ...built.map((image, i) => ({
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: image.manifestDigest,
            size: image.manifest.length,
            platform: { os: 'linux', architecture: list[i].architecture ?? 'amd64', ...(list[i].variant ? { variant: list[i].variant } : {}) },
          })),
          ...(options.extraManifests ?? []).map((m) => ({ mediaType: m.mediaType, digest: writeBlob(dir, m.bytes), size: m.bytes.length, ...(m.artifactType ? { artifactType: m.artifactType } : {}), ...(m.annotations ? { annotations: m.annotations } : {}) })),
        ],
      }),
    );
    root = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: writeBlob(dir, index), size: index.length, annotations };
  } else {
    root = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: built[0].manifestDigest, size: built[0].manifest.length, annotations };
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const extraRoots = (options.extraRoots ?? []).map((r) => ({ mediaType: r.mediaType, digest: writeBlob(dir, r.bytes), size: r.bytes.length, annotations: { 'org.opencontainers.image.ref.name': r.tag } }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [root, ...extraRoots] }));
  return { dir, images: built, rootDigest: root.digest };
}
