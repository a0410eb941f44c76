import { describe, expect, it } from 'vitest';
import { rpmdbHeaders } from '../../../shared/image/analyzers/rpm.ts';
import { RPMTAG, RPM_TYPE, parseRpmHeader, splitSourceRpm } from '../../../shared/image/formats/rpm-header.ts';
import { loadSqlite } from '../../../shared/image/formats/sqlite.ts';
import { analyze } from './analyze.ts';

interface Tag {
  tag: number;
  type: number;
  value: string | number | string[] | Buffer;
}

/**
 * A header blob as rpm stores it: index entry count and data length (big-endian), 16-byte entries
 * (tag, type, offset, count), then the data store; INT32 values 4-byte aligned. A leading region
 * entry (HEADER_IMMUTABLE, tag 63) points at a trailer, as in real databases.
 */
function headerBlob(tags: Tag[]): Buffer {
  const store: Buffer[] = [];
  let length = 0;
  const entries: Buffer[] = [];
  const all: Tag[] = [{ tag: 63, type: RPM_TYPE.bin, value: Buffer.alloc(16) }, ...tags];
  for (const t of all) {
    let data: Buffer;
    let count = 1;
    if (t.type === RPM_TYPE.int32) {
      const pad = (4 - (length % 4)) % 4;
      if (pad) store.push(Buffer.alloc(pad));
      length += pad;
      data = Buffer.alloc(4);
      data.writeInt32BE(t.value as number);
    } else if (t.type === RPM_TYPE.stringArray) {
      const values = t.value as string[];
      count = values.length;
      data = Buffer.from(values.map((v) => `${v}\0`).join(''));
    } else if (t.type === RPM_TYPE.bin) {
      data = t.value as Buffer;
      count = data.length;
    } else data = Buffer.from(`${t.value as string}\0`);
    const entry = Buffer.alloc(16);
    entry.writeInt32BE(t.tag, 0);
    entry.writeUInt32BE(t.type, 4);
    entry.writeInt32BE(length, 8);
    entry.writeUInt32BE(count, 12);
    entries.push(entry);
    store.push(data);
    length += data.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(length, 4);
  return Buffer.concat([head, ...entries, ...store]);
}

function packageBlob(p: { name: string; version: string; release: string; epoch?: number; arch?: string; sourceRpm?: string }): Buffer {
  const tags: Tag[] = [
    { tag: RPMTAG.name, type: RPM_TYPE.string, value: p.name },
    { tag: RPMTAG.version, type: RPM_TYPE.string, value: p.version },
    { tag: RPMTAG.release, type: RPM_TYPE.string, value: p.release },
    { tag: 1004, type: RPM_TYPE.i18nString, value: 'summary text' },
    { tag: 1027, type: RPM_TYPE.stringArray, value: ['/usr/bin/x', '/usr/bin/y'] },
  ];
  if (p.epoch !== undefined) tags.push({ tag: RPMTAG.epoch, type: RPM_TYPE.int32, value: p.epoch });
  if (p.arch) tags.push({ tag: RPMTAG.arch, type: RPM_TYPE.string, value: p.arch });
  if (p.sourceRpm) tags.push({ tag: RPMTAG.sourceRpm, type: RPM_TYPE.string, value: p.sourceRpm });
  return headerBlob(tags);
}

/** An rpmdb.sqlite as rpm ≥ 4.16 writes it (its Packages table; the index tables are not read). */
async function rpmdb(blobs: Buffer[]): Promise<Buffer> {
  const SQL = await loadSqlite();
  const db = new SQL.Database();
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  db.run('CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL)');
  for (const blob of blobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [blob]);
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}

const BASE = [
  packageBlob({ name: 'bash', version: '5.1.8', release: '9.el9', arch: 'x86_64', sourceRpm: 'bash-5.1.8-9.el9.src.rpm' }),
  packageBlob({ name: 'openssl-libs', version: '3.0.7', release: '27.el9', epoch: 1, arch: 'x86_64', sourceRpm: 'openssl-3.0.7-27.el9.src.rpm' }),
  packageBlob({ name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' }),
];

describe('rpm analyzer', () => {
  it('reads name, epoch, version, release, arch and source rpm from the header blobs', async () => {
    const image = await analyze({ 'etc/os-release': 'ID="rhel"\nVERSION_ID="9.4"\n', 'var/lib/rpm/rpmdb.sqlite': await rpmdb(BASE) });
    expect(image.analysis.packages.map(({ layerDigest, ...p }) => p)).toEqual([
      { ecosystem: 'Red Hat:enterprise_linux:9', name: 'bash', version: '5.1.8-9.el9', sourceName: 'bash', sourceVersion: '5.1.8-9.el9', arch: 'x86_64', path: 'var/lib/rpm/rpmdb.sqlite' },
      { ecosystem: 'Red Hat:enterprise_linux:9', name: 'openssl-libs', version: '1:3.0.7-27.el9', sourceName: 'openssl', sourceVersion: '1:3.0.7-27.el9', arch: 'x86_64', path: 'var/lib/rpm/rpmdb.sqlite' },
    ]);
  });

  it('prefers usr/lib/sysimage/rpm and attributes packages to the layer that added them', async () => {
    const more = packageBlob({ name: 'curl', version: '7.76.1', release: '29.el9', arch: 'x86_64', sourceRpm: 'curl-7.76.1-29.el9.src.rpm' });
    const image = await analyze(
      { 'etc/os-release': 'ID="rocky"\nVERSION_ID="9.3"\n', 'usr/lib/sysimage/rpm/rpmdb.sqlite': await rpmdb(BASE) },
      { 'usr/lib/sysimage/rpm/rpmdb.sqlite': await rpmdb([...BASE, more]), 'var/lib/rpm/rpmdb.sqlite': await rpmdb([BASE[0]]) },
    );
    expect(image.analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${image.layers.findIndex((l) => l.digest === p.layerDigest)} ${p.path}`)).toEqual([
      'Rocky Linux:9 bash 0 usr/lib/sysimage/rpm/rpmdb.sqlite',
      'Rocky Linux:9 openssl-libs 0 usr/lib/sysimage/rpm/rpmdb.sqlite',
      'Rocky Linux:9 curl 1 usr/lib/sysimage/rpm/rpmdb.sqlite',
    ]);
  });

  it('skips damaged header blobs and keeps the rest', async () => {
    const headers = await rpmdbHeaders(await rpmdb([Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]), BASE[0], Buffer.from('junk')]));
    expect(headers.map((h) => h.name)).toEqual(['bash']);
  });

  it('reports a database that is not SQLite as an analyzer warning, not a failed image', async () => {
    const image = await analyze({ 'var/lib/rpm/rpmdb.sqlite': 'not a database' });
    expect(image.analysis.packages).toEqual([]);
    expect(image.warnings).toEqual([expect.stringMatching(/^analyzer rpm failed: /)]);
  });

  it('parses header blobs and source rpm names', () => {
    expect(parseRpmHeader(packageBlob({ name: 'a', version: '1', release: '2', epoch: 3 }))).toEqual({ name: 'a', version: '1', release: '2', epoch: 3, arch: null, sourceRpm: null });
    expect(() => parseRpmHeader(Buffer.from([0, 0, 0, 1, 0, 0, 1, 0]))).toThrow(/truncated/);
    expect(splitSourceRpm('python3.11-3.11.5-1.el9_3.src.rpm')).toEqual({ name: 'python3.11', version: '3.11.5', release: '1.el9_3' });
    expect(splitSourceRpm('kernel-5.14.0-362.8.1.el9_3.nosrc.rpm')).toEqual({ name: 'kernel', version: '5.14.0', release: '362.8.1.el9_3' });
    expect(splitSourceRpm('nonsense')).toBeNull();
  });
});
