/**
 * Alpine (and Wolfi, Chainguard) packages: `lib/apk/db/installed`, one record per package of
 * `X:value` lines: `P` name, `V` version, `A` architecture, `o` origin (the source package that
 * advisories name).
 */
import { registerAnalyzer } from '../analyzer.ts';
import { osvEcosystem } from '../distro.ts';
import type { InstalledPackage } from '../model.ts';
import { introducingLayers } from '../package-origin.ts';

const INSTALLED = 'lib/apk/db/installed';

interface ApkPackage {
  name: string;
  version: string;
  arch?: string;
  sourceName: string;
  sourceVersion: string;
}

export function installedApkPackages(text: string): ApkPackage[] {
  const packages: ApkPackage[] = [];
  let fields: Record<string, string> = {};
  const flush = () => {
    if (fields.P && fields.V) {
      packages.push({ name: fields.P, version: fields.V, ...(fields.A ? { arch: fields.A } : {}), sourceName: fields.o || fields.P, sourceVersion: fields.V });
    }
    fields = {};
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    // Single-letter keys; a package's file list repeats F/R/Z lines, of which only the first would stick.
    if (line[1] === ':' && !(line[0] in fields)) fields[line[0]] = line.slice(2).trim();
  }
  flush();
  return packages;
}

const keyOf = (p: ApkPackage) => `${p.name}\u0000${p.version}`;

registerAnalyzer({
  name: 'apk',
  wants: (path) => path === INSTALLED,
  analyze({ files, allVersions, os }) {
    const installed = files.get(INSTALLED);
    if (!installed) return { packages: [] };
    const origin = introducingLayers(installed, allVersions, (f) => installedApkPackages(f.content.toString('utf8')).map(keyOf));
    const packages: InstalledPackage[] = installedApkPackages(installed.content.toString('utf8')).map((p) => ({
      ecosystem: osvEcosystem(os, 'apk'),
      ...p,
      path: installed.path,
      layerDigest: (origin.get(keyOf(p)) ?? installed).layer.digest,
    }));
    return { packages };
  },
});
