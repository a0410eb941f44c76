/**
 * What a `shipwatch image` argument names: an OCI image layout directory, an archive file
 * (`docker save`, or an `oci-archive` tar), or else a registry reference.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ImageReadError } from '../limits.ts';
import { directoryFiles, tarFiles } from './files.ts';
import { dockerArchiveStore, isDockerArchive } from './docker-archive.ts';
import { isOciLayout, ociLayoutStore } from './oci-layout.ts';
import { registryStore, type RegistrySourceOptions } from './registry.ts';
import type { ImageStore } from './store.ts';

export async function openImageStore(source: string, options: RegistrySourceOptions): Promise<ImageStore> {
  const info = await stat(source).catch(() => null);
  if (!info) return registryStore(source, options);
  const path = resolve(source);
  const repository = basename(path).replace(/\.(tar|oci)$/, '').toLowerCase() || 'image';
  if (info.isDirectory()) {
    const files = directoryFiles(path);
    if (await isOciLayout(files)) return ociLayoutStore(files, path, repository, options.maxManifestBytes);
    throw new ImageReadError(`${path} is not an OCI image layout (no oci-layout and index.json)`);
  }
  const files = await tarFiles(path);
  if (await isDockerArchive(files)) return dockerArchiveStore(files, path, repository, options.maxManifestBytes);
  if (await isOciLayout(files)) return ociLayoutStore(files, path, repository, options.maxManifestBytes);
  await files.close();
  throw new ImageReadError(`${path} is neither a docker save archive (manifest.json) nor an OCI archive (oci-layout, index.json)`);
}
