/**
 * npm packages: `package-lock.json` (lockfile v1 `dependencies` tree; v2/v3 `packages` map keyed by
 * `node_modules/...` paths) and installed `node_modules/<name>/package.json` and
 * `node_modules/@scope/<name>/package.json` at any depth. Development dependencies of a lockfile
 * are left out (production images install without them; when they are installed their
 * package.json reports them), and an installed package already listed by the lockfile of its
 * project is reported once, at the lockfile. Links and non-registry versions (git, file) are skipped.
 */
import { registerAnalyzer } from '../analyzer.ts';
import type { InstalledPackage } from '../model.ts';

const LOCKFILE = /(^|\/)package-lock\.json$/;
const INSTALLED = /(^|\/)node_modules\/(?:@[^/]+\/)?[^/]+\/package\.json$/;
const REGISTRY_VERSION = /^\d+\.\d+\.\d+/;

interface LockEntry {
  version?: unknown;
  dev?: unknown;
  link?: unknown;
  name?: unknown;
  dependencies?: Record<string, LockEntry>;
}

export function lockfilePackages(text: string): { name: string; version: string }[] {
  const lock = JSON.parse(text) as { lockfileVersion?: number; packages?: Record<string, LockEntry>; dependencies?: Record<string, LockEntry> };
  const found: { name: string; version: string }[] = [];
  const add = (name: unknown, entry: LockEntry) => {
    if (typeof name !== 'string' || !name || entry.link || entry.dev) return;
    if (typeof entry.version === 'string' && REGISTRY_VERSION.test(entry.version)) found.push({ name, version: entry.version });
  };
  if (lock.packages && typeof lock.packages === 'object') {
    for (const [key, entry] of Object.entries(lock.packages)) {
      const at = key.lastIndexOf('node_modules/');
      if (at < 0 || !entry || typeof entry !== 'object') continue;
      add(typeof entry.name === 'string' ? entry.name : key.slice(at + 'node_modules/'.length), entry);
    }
    return found;
  }
  const walk = (deps: Record<string, LockEntry> | undefined, depth: number) => {
    if (!deps || typeof deps !== 'object' || depth > 64) return;
    for (const [name, entry] of Object.entries(deps)) {
      if (!entry || typeof entry !== 'object') continue;
      add(name, entry);
      walk(entry.dependencies, depth + 1);
    }
  };
  walk(lock.dependencies, 0);
  return found;
}

const projectDir = (path: string) => path.slice(0, Math.max(0, path.indexOf('node_modules/') - 1));
const dirOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

registerAnalyzer({
  name: 'npm',
  wants: (path) => path.endsWith('.json') && (LOCKFILE.test(path) || INSTALLED.test(path)),
  analyze({ files }) {
    const packages: InstalledPackage[] = [];
    const locked = new Map<string, Set<string>>();
    for (const file of files.values()) {
      if (!LOCKFILE.test(file.path)) continue;
      let found: { name: string; version: string }[];
      try {
        found = lockfilePackages(file.content.toString('utf8'));
      } catch {
        continue; // not JSON: nothing to report from it
      }
      locked.set(dirOf(file.path), new Set(found.map((p) => `${p.name}@${p.version}`)));
      for (const p of found) packages.push({ ecosystem: 'npm', ...p, path: file.path, layerDigest: file.layer.digest });
    }
    for (const file of files.values()) {
      if (!INSTALLED.test(file.path)) continue;
      let manifest: { name?: unknown; version?: unknown };
      try {
        manifest = JSON.parse(file.content.toString('utf8')) as typeof manifest;
      } catch {
        continue;
      }
      if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string' || !REGISTRY_VERSION.test(manifest.version)) continue;
      if (locked.get(projectDir(file.path))?.has(`${manifest.name}@${manifest.version}`)) continue;
      packages.push({ ecosystem: 'npm', name: manifest.name, version: manifest.version, path: file.path, layerDigest: file.layer.digest });
    }
    return { packages };
  },
});
