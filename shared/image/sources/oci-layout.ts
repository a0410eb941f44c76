/**
 * An OCI image layout (a directory, or the same inside an `oci-archive` tar): `oci-layout`,
 * `index.json` and `blobs/<algorithm>/<hex>`. `index.json` is read as the top-level index, so
 * every image it lists is read (tags come from `org.opencontainers.image.ref.name`).
 */
import { isValidDigest, parseImageRef } from '../../iac/image-ref.ts';
import { ImageReadError } from '../limits.ts';
import { MEDIA_TYPES, sha256Digest, verifyDigest, type Descriptor, type FetchedManifest } from '../manifest.ts';
import type { SourceFiles } from './files.ts';
import type { ImageStore, RootManifest } from './store.ts';

export function blobPath(digest: string): string {
  if (!isValidDigest(digest)) throw new ImageReadError(`invalid digest ${JSON.stringify(digest)}`);
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

export async function isOciLayout(files: SourceFiles): Promise<boolean> {
  return (await files.size('oci-layout')) !== null && (await files.size('index.json')) !== null;
}

export function ociLayoutStore(files: SourceFiles, name: string, repository: string, maxManifestBytes: number): ImageStore {
  return {
    name,
    remote: false,
    async roots(): Promise<RootManifest[]> {
      const layout = await files.read('oci-layout', 4096);
      let version: unknown;
      try {
        version = (JSON.parse(layout?.toString('utf8') ?? '{}') as { imageLayoutVersion?: unknown }).imageLayoutVersion;
      } catch {
        throw new ImageReadError(`${name}: oci-layout is not valid JSON`);
      }
      if (typeof version !== 'string' || !version.startsWith('1.')) throw new ImageReadError(`${name}: unsupported image layout version ${JSON.stringify(version)}`);
      const index = await files.read('index.json', maxManifestBytes);
      if (!index) throw new ImageReadError(`${name}: index.json is missing`);
      const named = containerdName(index);
      return [
        {
          manifest: { mediaType: MEDIA_TYPES.ociIndex, digest: sha256Digest(index), bytes: index },
          digest: null,
          registry: named?.registry ?? 'local',
          repository: named?.repository ?? repository,
          tag: null,
        },
      ];
    },
    async manifest(descriptor: Descriptor): Promise<FetchedManifest> {
      const bytes = await files.read(blobPath(descriptor.digest), maxManifestBytes);
      if (!bytes) throw new ImageReadError(`${name}: manifest ${descriptor.digest} is missing (blob not found)`);
      verifyDigest(bytes, descriptor.digest, `manifest ${descriptor.digest}`);
      return { mediaType: descriptor.mediaType, digest: descriptor.digest, bytes };
    },
    blob: (descriptor: Descriptor, signal?: AbortSignal) => files.open(blobPath(descriptor.digest), signal),
    close: () => files.close(),
  };
}

/** containerd exports name the image in full (`docker.io/library/nginx:1.27`) on index.json entries. */
function containerdName(index: Buffer): { registry: string; repository: string } | null {
  try {
    const body = JSON.parse(index.toString('utf8')) as { manifests?: { annotations?: Record<string, string> }[] };
    const full = body.manifests?.find((m) => m.annotations?.['io.containerd.image.name'])?.annotations?.['io.containerd.image.name'];
    if (!full) return null;
    const ref = parseImageRef(full);
    return { registry: ref.registry, repository: ref.repository };
  } catch {
    return null;
  }
}
