import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { isManifestOrDockerfile, type SourceFile } from '../scan/sources.ts';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface WalkOptions {
  /** Globs relative to the root (`exclude` in `.shipwatch.yaml`). */
  exclude?: string[];
  maxFileSize?: number;
  onProgress?: (filesRead: number) => void;
}

export interface WalkResult {
  files: SourceFile[];
  /** Paths the walk refused, with why (symlinks out of the root). */
  skipped: { path: string; reason: string }[];
}

export const toPosix = (p: string) => p.split(sep).join('/');

/**
 * Reads every file under `root` the scan should see: skips `.git/`, what `.gitignore` files ignore
 * (each applies below its own folder), the `exclude` globs, and symlinks that leave the root.
 */
export function walkRoot(root: string, options: WalkOptions = {}): WalkResult {
  const files: SourceFile[] = [];
  const skipped: WalkResult['skipped'] = [];
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const realRoot = realpathSync(root);
  const visited = new Set<string>([realRoot]);
  const rootStat = statSync(root);
  if (!rootStat.isDirectory()) {
    const source = readSource(root, toPosix(root), maxFileSize);
    if (source) files.push(source);
    return { files, skipped };
  }

  const walk = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    const rel = toPosix(relative(root, dir));
    const own = readGitignore(dir);
    const active = own ? [...rules, { base: rel, ig: own }] : rules;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      skipped.push({ path: rel || '.', reason: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const full = join(dir, entry.name);
      const relPath = toPosix(relative(root, full));
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(full);
        } catch {
          skipped.push({ path: relPath, reason: 'broken symlink' });
          continue;
        }
        if (target !== realRoot && !target.startsWith(realRoot + sep)) {
          skipped.push({ path: relPath, reason: 'symlink points outside the scan root' });
          continue;
        }
        isDir = statSync(target).isDirectory();
        if (isDir && visited.has(target)) continue;
        if (isDir) visited.add(target);
      } else if (!isDir && !entry.isFile()) continue;
      if (excluded(relPath) || (isDir && excluded(relPath + '/'))) continue;
      if (active.some(({ base, ig }) => ig.ignores(base ? relPath.slice(base.length + 1) + (isDir ? '/' : '') : relPath + (isDir ? '/' : '')))) continue;
      if (isDir) walk(full, active);
      else {
        const source = readSource(full, relPath, maxFileSize);
        if (source) files.push(source);
        options.onProgress?.(files.length);
      }
    }
  };
  walk(root, []);
  return { files, skipped };
}

function readGitignore(dir: string): Ignore | null {
  try {
    return ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return null;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one file as text. Manifests and Dockerfiles that cannot be read become errors (`readError`);
 * other files that are too large or not text (images, archives) are left out (null).
 */
export function readSource(full: string, relPath: string, maxFileSize: number): SourceFile | null {
  const relevant = isManifestOrDockerfile(relPath);
  try {
    const size = lstatSync(full).isSymbolicLink() ? statSync(full).size : lstatSync(full).size;
    if (size > maxFileSize) {
      return relevant ? { path: relPath, readError: `file is ${formatBytes(size)}, over the ${formatBytes(maxFileSize)} size cap` } : null;
    }
    const buf = readFileSync(full);
    if (buf.subarray(0, 8000).includes(0)) return relevant ? { path: relPath, readError: 'binary file, not text' } : null;
    try {
      return { path: relPath, text: utf8.decode(buf) };
    } catch {
      return relevant ? { path: relPath, readError: 'invalid UTF-8' } : null;
    }
  } catch (e) {
    return { path: relPath, readError: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(n / 1024)} KB`;
}
