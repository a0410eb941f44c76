/**
 * Images for the reader's tests, built from real files in the test: tar layers written with
 * tar-stream (names exactly as given, hostile ones included), compressed with gzip, zstd or not at
 * all, content-addressed into an OCI image layout, a `docker save` archive or a registry's blob map.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { ImageConfig } from '../../shared/image/model.ts';

export const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export type Entry =
  | { path: string; content?: string | Buffer; mode?: number; uid?: number; gid?: number; type?: 'file' }
  | { path: string; type: 'directory'; mode?: number }
  | { path: string; type: 'symlink' | 'link'; target: string };

export type Compression = 'gzip' | 'zstd' | 'none';

const MEDIA = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
} as const;

/** A tar stream of the entries, in order; `{ path: 'a/.wh.b' }` writes a whiteout as it is. */
export async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const header: Partial<tar.Header> & { name: string } = { name: e.path, mtime: new Date(0), uid: 0, gid: 0 };
    let body: Buffer = Buffer.alloc(0);
    if (e.type === 'directory') Object.assign(header, { type: 'directory', mode: e.mode ?? 0o755 });
    else if (e.type === 'symlink' || e.type === 'link') Object.assign(header, { type: e.type, linkname: e.target, mode: 0o777 });
    else if (e.type === undefined || e.type === 'file') {
      body = Buffer.from(e.content ?? '');
      Object.assign(header, { type: 'file', mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: e.gid ?? 0 });
    }
    await new Promise<void>((resolve, reject) => pack.entry(header, body, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/**
 * A valid Zstandard frame made of raw (stored) blocks: there is no zstd encoder in Node 20, and the
 * decoder path is the same whatever the block types.
 */
export function zstdFrame(data: Buffer, blocks: Buffer[] = []): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58])];
  const MAX = 128 * 1024;
  for (let at = 0; at < data.length || (at === 0 && !blocks.length); at += MAX) {
    const piece = data.subarray(at, at + MAX);
    const last = at + MAX >= data.length && !blocks.length;
    parts.push(blockHeader(last, 0, piece.length), piece);
    if (data.length === 0) break;
  }
  parts.push(...blocks);
  return Buffer.concat(parts);
}

/** One RLE block: `count` copies of `byte` from 4 bytes of input. */
export function zstdRleBlock(byte: number, count: number, last: boolean): Buffer {
  return Buffer.concat([blockHeader(last, 1, count), Buffer.from([byte])]);
}

function blockHeader(last: boolean, type: number, size: number): Buffer {
  const value = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.from([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff]);
}

export function compress(data: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(data);
  if (compression === 'zstd') return zstdFrame(data);
  return data;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface LayerInput {
  entries: Entry[];
  compression?: Compression;
  createdBy?: string;
}

/** Blobs by digest: what a layout directory, an archive or a registry stand-in serves. */
export class BlobSet {
  readonly blobs = new Map<string, Buffer>();

  add(bytes: Buffer, mediaType: string): Descriptor {
    const digest = sha256(bytes);
    this.blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.length };
  }

  json(value: unknown, mediaType: string): Descriptor {
    return this.add(Buffer.from(JSON.stringify(value)), mediaType);
  }

  /** Layers, a config (with history) and an OCI or Docker manifest. */
  async image(layers: LayerInput[], options: { config?: ImageConfig['config']; architecture?: string; docker?: boolean; mutate?: (manifest: Record<string, unknown>) => void } = {}) {
    const tars = await Promise.all(layers.map((l) => tarOf(l.entries)));
    const layerDescriptors = layers.map((l, i) => {
      const compression = l.compression ?? 'gzip';
      const mediaType = options.docker ? 'application/vnd.docker.image.rootfs.diff.tar.gzip' : MEDIA[compression];
      return this.add(compress(tars[i], compression), mediaType);
    });
    const config: ImageConfig = {
      architecture: options.architecture ?? 'amd64',
      os: 'linux',
      config: options.config ?? {},
      rootfs: { type: 'layers', diff_ids: tars.map(sha256) },
      history: layers.map((l) => ({ created_by: l.createdBy ?? 'RUN true' })),
    };
    const configDescriptor = this.json(config, options.docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json');
    const mediaType = options.docker ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
    const manifest: Record<string, unknown> = { schemaVersion: 2, mediaType, config: configDescriptor, layers: layerDescriptors };
    options.mutate?.(manifest);
    const descriptor = this.json(manifest, mediaType);
    return { manifest: descriptor, config: configDescriptor, layers: layerDescriptors, tars };
  }

  index(manifests: Descriptor[], docker = false): Descriptor {
    const mediaType = docker ? 'application/vnd.docker.distribution.manifest.list.v2+json' : 'application/vnd.oci.image.index.v1+json';
    return this.json({ schemaVersion: 2, mediaType, manifests }, mediaType);
  }

  /** Writes an OCI image layout whose index.json lists `roots`. */
  writeLayout(roots: Descriptor[], dir = mkdtempSync(join(tmpdir(), 'shipwatch-read-'))): string {
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
    for (const [digest, bytes] of this.blobs) writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: roots }));
    return dir;
  }
}

/** A classic `docker save` archive: `<hex>.json` config, `<id>/layer.tar` (uncompressed) and manifest.json. */
export async function dockerSave(layers: LayerInput[], repoTag: string, config: ImageConfig['config'] = {}): Promise<Buffer> {
  const tars = await Promise.all(layers.map((l) => tarOf(l.entries)));
  const configBytes = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config, rootfs: { type: 'layers', diff_ids: tars.map(sha256) }, history: layers.map((l) => ({ created_by: l.createdBy ?? 'RUN true' })) }),
  );
  const configName = `${sha256(configBytes).slice(7)}.json`;
  const layerNames = tars.map((t) => `${sha256(t).slice(7, 71)}/layer.tar`);
  const outer: Entry[] = [
    { path: configName, content: configBytes },
    ...tars.map((t, i) => ({ path: layerNames[i], content: t })),
    { path: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: layerNames }]) },
  ];
  return tarOf(outer);
}
