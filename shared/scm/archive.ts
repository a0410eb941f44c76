import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DEFAULT_MAX_FILE_SIZE } from '../fs/walk.ts';
import { tarFiles } from './tar.ts';

/**
 * The texts of a forge's source archive (a `.tar.gz` whose entries sit under one top-level folder,
 * `<owner>-<repo>-<sha>/` on GitHub): keyed by their path inside the repository, limited to what
 * `wanted` selects. Left out: paths that are absolute or climb out with `..`, files over
 * `maxFileBytes`, binary files and files that are not valid UTF-8.
 */
export async function readArchiveTree(
  gzippedTar: AsyncIterable<Uint8Array>,
  wanted: (path: string) => boolean,
  maxFileBytes = DEFAULT_MAX_FILE_SIZE,
): Promise<Map<string, string>> {
  // pipeline() destroys the gunzip stream with the download's error, so the loop below sees it.
  const unzipped = pipeline(Readable.from(gzippedTar), createGunzip(), () => {});
  const keep = (archivePath: string, size: number) => {
    const path = repositoryPath(archivePath);
    return path !== null && size <= maxFileBytes && wanted(path);
  };
  const tree = new Map<string, string>();
  for await (const file of tarFiles(unzipped, keep)) {
    const text = asText(file.data);
    if (text !== null) tree.set(repositoryPath(file.path)!, text);
  }
  return tree;
}

/** The path below the archive's top-level folder, or null for entries that must not be trusted. */
export function repositoryPath(archivePath: string): string | null {
  if (archivePath.startsWith('/')) return null;
  const parts = archivePath.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..') || parts.length < 2) return null;
  return parts.slice(1).join('/');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or null for binary (a NUL byte) or invalid UTF-8 content. */
function asText(data: Buffer): string | null {
  if (data.includes(0)) return null;
  try {
    return utf8.decode(data);
  } catch {
    return null;
  }
}
