/**
 * Image manifests and indexes (Docker v2 schema 2, Docker manifest list, OCI manifest, OCI index):
 * parsing, and telling runnable images from artifacts (signatures, SBOMs, attestations, Helm
 * charts) and unknown formats, which are skipped and recorded (IMG-067) rather than failed.
 */
import { createHash } from 'node:crypto';
import { isValidDigest } from '../iac/image-ref.ts';
import { ImageReadError } from './limits.ts';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
} as const;

/** What we ask registries for, most preferred first. */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);
const IMAGE_MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const CONFIG_TYPES = new Set<string>([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** Layer media types we can read, and the compression each declares. */
const LAYER_TYPES: Record<string, LayerCompression> = {
  'application/vnd.oci.image.layer.v1.tar': 'none',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'none',
};

export function layerCompression(mediaType: string): LayerCompression | null {
  return LAYER_TYPES[mediaType] ?? null;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  artifactType?: string;
  urls?: string[];
}

/** A manifest as fetched: its bytes, its media type (header or body) and its digest. */
export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export type ParsedManifest =
  | { kind: 'index'; manifests: Descriptor[] }
  | { kind: 'image'; config: Descriptor; layers: Descriptor[] }
  | { kind: 'skip'; reason: SkipReason; detail: string };

export type SkipReason = 'artifact' | 'attestation' | 'unknown-media-type' | 'platform-not-selected';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Checks fetched bytes against the digest they were asked for (sha256 only; other algorithms are not trusted). */
export function verifyDigest(bytes: Uint8Array, digest: string, what: string): void {
  if (!digest.startsWith('sha256:')) throw new ImageReadError(`${what} uses digest algorithm ${digest.split(':')[0]}, which is not supported`);
  if (sha256Digest(bytes) !== digest) throw new ImageReadError(`${what} does not match its digest ${digest}`);
}

export function platformString(platform: Platform | undefined | null): string | null {
  if (!platform?.os || !platform.architecture) return null;
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * Whether a platform is selected: by default every `linux` platform; otherwise one of `selected`
 * (`linux/arm64` also selects `linux/arm64/v8`).
 */
export function platformSelected(platform: Platform | undefined, selected: readonly string[] | undefined): boolean {
  if (!platform) return !selected?.length;
  if (!selected?.length) return platform.os === 'linux';
  const full = platformString(platform);
  return selected.some((wanted) => wanted === full || wanted === `${platform.os}/${platform.architecture}`);
}

export function parseManifest(fetched: FetchedManifest): ParsedManifest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(fetched.bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ImageReadError(`manifest ${fetched.digest} is not valid JSON`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ImageReadError(`manifest ${fetched.digest} is not a JSON object`);
  const mediaType = typeof body.mediaType === 'string' ? body.mediaType : fetched.mediaType;

  if (INDEX_TYPES.has(mediaType) || (!mediaType && Array.isArray(body.manifests))) {
    if (!Array.isArray(body.manifests)) throw new ImageReadError(`index ${fetched.digest} has no manifests list`);
    return { kind: 'index', manifests: body.manifests.map((m, i) => descriptor(m, `index ${fetched.digest} manifests[${i}]`)) };
  }
  if (body.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    return { kind: 'skip', reason: 'unknown-media-type', detail: 'Docker v2 schema 1 manifest (deprecated, not supported)' };
  }
  if (!IMAGE_MANIFEST_TYPES.has(mediaType) && !(mediaType === '' && body.config && Array.isArray(body.layers))) {
    return { kind: 'skip', reason: 'unknown-media-type', detail: `manifest media type ${JSON.stringify(mediaType || 'missing')}` };
  }
  if (body.subject) {
    const subject = descriptor(body.subject, `manifest ${fetched.digest} subject`);
    return { kind: 'skip', reason: 'artifact', detail: `refers to ${subject.digest} (a signature, SBOM or attestation)` };
  }
  if (typeof body.artifactType === 'string') return { kind: 'skip', reason: 'artifact', detail: `artifact type ${JSON.stringify(body.artifactType)}` };
  const config = descriptor(body.config, `manifest ${fetched.digest} config`);
  if (!CONFIG_TYPES.has(config.mediaType)) return { kind: 'skip', reason: 'artifact', detail: `config media type ${JSON.stringify(config.mediaType)}` };
  if (!Array.isArray(body.layers)) throw new ImageReadError(`manifest ${fetched.digest} has no layers list`);
  const layers = body.layers.map((l, i) => descriptor(l, `manifest ${fetched.digest} layers[${i}]`));
  const unknown = layers.find((l) => layerCompression(l.mediaType) === null);
  if (unknown) return { kind: 'skip', reason: 'unknown-media-type', detail: `layer media type ${JSON.stringify(unknown.mediaType)}` };
  return { kind: 'image', config, layers };
}

/** How an index entry is skipped, or null when it is an image (or a nested index) to read. */
export function skippedIndexEntry(entry: Descriptor, platforms: readonly string[] | undefined): { reason: SkipReason; detail: string } | null {
  const annotations = entry.annotations ?? {};
  if (annotations['vnd.docker.reference.type'] === 'attestation-manifest') {
    return { reason: 'attestation', detail: `attestation manifest for ${annotations['vnd.docker.reference.digest'] ?? 'an image'}` };
  }
  if (entry.artifactType) return { reason: 'artifact', detail: `artifact type ${JSON.stringify(entry.artifactType)}` };
  if (entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown') {
    return { reason: 'artifact', detail: 'manifest for platform unknown/unknown (an attestation or artifact)' };
  }
  if (!IMAGE_MANIFEST_TYPES.has(entry.mediaType) && !INDEX_TYPES.has(entry.mediaType)) {
    return { reason: 'unknown-media-type', detail: `manifest media type ${JSON.stringify(entry.mediaType)}` };
  }
  if (IMAGE_MANIFEST_TYPES.has(entry.mediaType) && !platformSelected(entry.platform, platforms)) {
    return { reason: 'platform-not-selected', detail: `platform ${platformString(entry.platform) ?? 'unknown'} not selected` };
  }
  return null;
}

export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType);
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d !== 'object') throw new ImageReadError(`${where} is not a descriptor`);
  if (typeof d.digest !== 'string' || !isValidDigest(d.digest)) throw new ImageReadError(`${where} has an invalid digest ${JSON.stringify(d.digest)}`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw new ImageReadError(`${where} has an invalid size`);
  if (typeof d.mediaType !== 'string') throw new ImageReadError(`${where} has no media type`);
  const platform = d.platform && typeof d.platform === 'object' && typeof d.platform.os === 'string' && typeof d.platform.architecture === 'string'
    ? { os: d.platform.os, architecture: d.platform.architecture, ...(typeof d.platform.variant === 'string' ? { variant: d.platform.variant } : {}) }
    : undefined;
  const annotations = d.annotations && typeof d.annotations === 'object' ? (d.annotations as Record<string, string>) : undefined;
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(platform ? { platform } : {}),
    ...(annotations ? { annotations } : {}),
    ...(typeof d.artifactType === 'string' ? { artifactType: d.artifactType } : {}),
  };
}
