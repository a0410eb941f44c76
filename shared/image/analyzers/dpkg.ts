/**
 * Debian and Ubuntu packages: `var/lib/dpkg/status` (installed packages only, by the third word of
 * `Status`) and distroless `var/lib/dpkg/status.d/<package>` files (no Status: installed). The
 * source package (`Source: name` or `Source: name (version)`) is kept: advisories are keyed on it.
 */
import { registerAnalyzer, type LayerFile } from '../analyzer.ts';
import { osvEcosystem } from '../distro.ts';
import { controlStanzas } from '../formats/control.ts';
import type { InstalledPackage, OsRelease } from '../model.ts';
import { introducingLayers } from '../package-origin.ts';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;

interface DpkgPackage {
  name: string;
  version: string;
  arch?: string;
  sourceName: string;
  sourceVersion: string;
}

export function installedDpkgPackages(text: string, requireStatus: boolean): DpkgPackage[] {
  const packages: DpkgPackage[] = [];
  for (const stanza of controlStanzas(text)) {
    const name = stanza.Package;
    const version = stanza.Version;
    if (!name || !version) continue;
    if (requireStatus || stanza.Status !== undefined) {
      if ((stanza.Status ?? '').split(/\s+/)[2] !== 'installed') continue;
    }
    const source = /^(\S+)(?:\s+\((\S+)\))?/.exec(stanza.Source ?? '');
    packages.push({
      name,
      version,
      ...(stanza.Architecture ? { arch: stanza.Architecture } : {}),
      sourceName: source?.[1] ?? name,
      sourceVersion: source?.[2] ?? version,
    });
  }
  return packages;
}

const keyOf = (p: DpkgPackage) => `${p.name}\u0000${p.arch ?? ''}\u0000${p.version}`;

function toInstalled(p: DpkgPackage, file: LayerFile, os: OsRelease | null | undefined): InstalledPackage {
  return { ecosystem: osvEcosystem(os, 'deb'), ...p, path: file.path, layerDigest: file.layer.digest };
}

registerAnalyzer({
  name: 'dpkg',
  wants: (path) => path === STATUS || (STATUS_D.test(path) && !path.endsWith('.md5sums')),
  analyze({ files, allVersions, os }) {
    const packages: InstalledPackage[] = [];
    const status = files.get(STATUS);
    if (status) {
      const parsed = installedDpkgPackages(status.content.toString('utf8'), true);
      const origin = introducingLayers(status, allVersions, (f) => installedDpkgPackages(f.content.toString('utf8'), true).map(keyOf));
      for (const p of parsed) packages.push(toInstalled(p, origin.get(keyOf(p)) ?? status, os));
    }
    for (const file of files.values()) {
      if (!STATUS_D.test(file.path)) continue;
      for (const p of installedDpkgPackages(file.content.toString('utf8'), false)) packages.push(toInstalled(p, file, os));
    }
    return { packages };
  },
});
