/**
 * RPM packages (RHEL/UBI 9, Rocky, Alma, Amazon Linux 2023, Fedora): the SQLite rpm database at
 * `usr/lib/sysimage/rpm/rpmdb.sqlite` or `var/lib/rpm/rpmdb.sqlite`, whose `Packages` table holds
 * one RPM header blob per installed package. The source package comes from SOURCERPM. Versions
 * are `[epoch:]version-release`. The older Berkeley DB (`Packages`) and NDB (`Packages.db`)
 * formats are not read.
 */
import { registerAnalyzer, type LayerFile } from '../analyzer.ts';
import { osvEcosystem } from '../distro.ts';
import { evr, parseRpmHeader, splitSourceRpm, type RpmHeader } from '../formats/rpm-header.ts';
import { loadSqlite } from '../formats/sqlite.ts';
import type { InstalledPackage } from '../model.ts';
import { introducingLayers } from '../package-origin.ts';

const DATABASES = ['usr/lib/sysimage/rpm/rpmdb.sqlite', 'var/lib/rpm/rpmdb.sqlite'];

export async function rpmdbHeaders(content: Buffer): Promise<RpmHeader[]> {
  const SQL = await loadSqlite();
  const db = new SQL.Database(content);
  try {
    const [table] = db.exec('SELECT blob FROM Packages');
    const headers: RpmHeader[] = [];
    for (const [blob] of table?.values ?? []) {
      if (!(blob instanceof Uint8Array)) continue;
      let header: RpmHeader;
      try {
        header = parseRpmHeader(blob);
      } catch {
        continue; // one damaged header must not hide the other packages
      }
      // Imported signing keys are recorded as pseudo-packages.
      if (header.name !== 'gpg-pubkey') headers.push(header);
    }
    return headers;
  } finally {
    db.close();
  }
}

const keyOf = (h: RpmHeader) => `${h.name}\u0000${h.arch ?? ''}\u0000${evr(h.epoch, h.version, h.release)}`;

registerAnalyzer({
  name: 'rpm',
  wants: (path) => DATABASES.includes(path),
  async analyze({ files, allVersions, os }) {
    const database = DATABASES.map((p) => files.get(p)).find((f): f is LayerFile => f !== undefined);
    if (!database) return { packages: [] };
    const headers = await rpmdbHeaders(database.content);
    const parsedVersions = new Map<LayerFile, string[]>();
    for (const version of allVersions) {
      if (version.path === database.path && version !== database) parsedVersions.set(version, (await rpmdbHeaders(version.content).catch(() => [])).map(keyOf));
    }
    const origin = introducingLayers(database, allVersions, (f) => (f === database ? headers.map(keyOf) : (parsedVersions.get(f) ?? [])));
    const packages: InstalledPackage[] = headers.map((h) => {
      const source = h.sourceRpm ? splitSourceRpm(h.sourceRpm) : null;
      return {
        ecosystem: osvEcosystem(os, 'rpm'),
        name: h.name,
        version: evr(h.epoch, h.version, h.release),
        sourceName: source?.name ?? h.name,
        sourceVersion: source ? evr(h.epoch, source.version, source.release) : evr(h.epoch, h.version, h.release),
        ...(h.arch ? { arch: h.arch } : {}),
        path: database.path,
        layerDigest: (origin.get(keyOf(h)) ?? database).layer.digest,
      };
    });
    return { packages };
  },
});
