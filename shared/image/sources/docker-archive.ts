/**
 * A `docker save` archive. Its `manifest.json` lists each saved image's config and layer files:
 * `<hex>.json` + `<id>/layer.tar` in the classic layout (layers uncompressed, identified by the
 * config's diff_ids), `blobs/sha256/<hex>` since Docker 25. The images are turned into manifest
 * form; there is no manifest digest to report.
 */
import { parseImageRef } from '../../iac/image-ref.ts';
import { ImageReadError } from '../limits.ts';
import { MEDIA_TYPES, sha256Digest, type Descriptor, type FetchedManifest } from '../manifest.ts';
import type { SourceFiles } from './files.ts';
import type { ImageStore, RootManifest } from './store.ts';

interface SavedImage {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

const LEGACY_LAYER = 'application/vnd.docker.image.rootfs.diff.tar';

export async function isDockerArchive(files: SourceFiles): Promise<boolean> {
  return (await files.size('manifest.json')) !== null;
}

export function dockerArchiveStore(files: SourceFiles, name: string, repository: string, maxManifestBytes: number): ImageStore {
  /** Blob digest → the archive path holding it. */
  const paths = new Map<string, string>();

  return {
    name,
    remote: false,
    async roots(): Promise<RootManifest[]> {
      const raw = await files.read('manifest.json', maxManifestBytes);
      let saved: SavedImage[];
      try {
        saved = JSON.parse(raw!.toString('utf8')) as SavedImage[];
      } catch {
        throw new ImageReadError(`${name}: manifest.json is not valid JSON`);
      }
      if (!Array.isArray(saved)) throw new ImageReadError(`${name}: manifest.json is not a list of images`);
      const roots: RootManifest[] = [];
      for (const [i, image] of saved.entries()) {
        if (typeof image?.Config !== 'string' || !Array.isArray(image.Layers) || !image.Layers.every((l) => typeof l === 'string')) {
          throw new ImageReadError(`${name}: manifest.json entry ${i} has no Config or Layers`);
        }
        const configBytes = await files.read(image.Config, maxManifestBytes);
        if (!configBytes) throw new ImageReadError(`${name}: config ${image.Config} is missing`);
        const configDigest = sha256Digest(configBytes);
        paths.set(configDigest, image.Config);
        const diffIds = diffIdsOf(configBytes);
        const layers: Descriptor[] = [];
        for (const [n, path] of (image.Layers as string[]).entries()) {
          const size = await files.size(path);
          if (size === null) throw new ImageReadError(`${name}: layer ${path} is missing`);
          const digest = digestFromPath(path) ?? diffIds[n];
          if (!digest) throw new ImageReadError(`${name}: layer ${path} has no diff_id in the config`);
          paths.set(digest, path);
          layers.push({ mediaType: LEGACY_LAYER, digest, size });
        }
        const tag = Array.isArray(image.RepoTags) && typeof image.RepoTags[0] === 'string' ? parseImageRef(image.RepoTags[0]) : null;
        roots.push({
          manifest: null,
          digest: null,
          legacy: { config: { mediaType: MEDIA_TYPES.dockerConfig, digest: configDigest, size: configBytes.length }, layers },
          registry: tag?.registry ?? 'local',
          repository: tag?.repository ?? repository,
          tag: tag?.tag ?? null,
        });
      }
      return roots;
    },
    async manifest(descriptor: Descriptor): Promise<FetchedManifest> {
      throw new ImageReadError(`${name}: a docker save archive has no manifest ${descriptor.digest}`);
    },
    async blob(descriptor: Descriptor, signal?: AbortSignal) {
      const path = paths.get(descriptor.digest);
      if (!path) throw new ImageReadError(`${name}: blob ${descriptor.digest} is missing`);
      return files.open(path, signal);
    },
    close: () => files.close(),
  };
}

function digestFromPath(path: string): string | null {
  const m = /^(?:\.\/)?blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
  return m ? `sha256:${m[1]}` : null;
}

function diffIdsOf(config: Buffer): string[] {
  try {
    const ids = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
