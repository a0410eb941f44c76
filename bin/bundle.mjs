import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Returns the URL of a CLI bundle built from the current sources: one folder per source version
 * (named after the newest source's mtime), built with esbuild when missing. Commands load their
 * heavy dependencies (AWS SDK, forge clients) in split chunks, so `scan` starts fast.
 */
export async function ensureBundle() {
  const version = Math.floor(Math.max(newestSource(join(root, 'shared')), statSync(join(root, 'package.json')).mtimeMs));
  const outdir = join(dist, `cli-${version}`);
  const entry = join(outdir, 'main.js');
  if (!existsSync(entry)) {
    const { build } = await import('esbuild');
    mkdirSync(dist, { recursive: true });
    const tmp = `${outdir}.${process.pid}.tmp`;
    await build({
      entryPoints: [join(root, 'shared', 'cli', 'main.ts')],
      outdir: tmp,
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'error',
    });
    try {
      renameSync(tmp, outdir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process built the same version first
    }
    for (const old of readdirSync(dist)) {
      if (old.startsWith('cli-') && join(dist, old) !== outdir && !old.endsWith('.tmp')) rmSync(join(dist, old), { recursive: true, force: true });
    }
  }
  return pathToFileURL(entry).href;
}
