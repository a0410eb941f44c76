import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EcosystemIndex,
  IndexBuilder,
  type IndexManifest,
  indexDb,
  MANIFEST_KEY,
  openVulnDb,
  osvFolderDb,
  readManifest,
  writeIndex,
} from '../../shared/vuln/index-db.ts';
import { matchPackages } from '../../shared/vuln/match.ts';
import { DirectoryVulnDataStore } from '../../shared/vuln/store.ts';
import { writeZip } from '../support/zip.ts';
import { installed, OSV_FIXTURES } from './helpers.ts';

const temporary: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-vulndb-'));
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

const PACKAGES = [
  installed('Debian:12', 'libssl3', '3.0.11-1~deb12u1', { name: 'openssl' }),
  installed('Debian:12', 'libc6', '2.36-9+deb12u4', { name: 'glibc' }),
  installed('Alpine:v3.19', 'libssl3', '3.1.4-r0', { name: 'openssl' }),
  installed('npm', 'lodash', '4.17.20'),
  installed('PyPI', 'Django', '4.2.7'),
  installed('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'),
  installed('Go', 'golang.org/x/net', 'v0.16.0'),
  installed('Red Hat:9', 'openssl-libs', '1:3.0.7-24.el9'),
];
const EXPECTED_IDS = [
  'ALPINE-CVE-2099-2001',
  'DEBIAN-CVE-2099-1001',
  'DEBIAN-CVE-2099-1002',
  'GHSA-f1x7-0001-aaaa',
  'GHSA-f1x7-0002-bbbb',
  'GHSA-f1x7-0003-cccc',
  'GO-2099-4001',
  'RHSA-2099:5001',
];
const idsOf = async (db: Awaited<ReturnType<typeof openVulnDb>>) => (await matchPackages(db, PACKAGES)).matches.map((m) => m.id).sort();

/** A builder fed with every fixture record. */
function fixtureBuilder(): IndexBuilder {
  const builder = new IndexBuilder();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else builder.addJson(readFileSync(path, 'utf8'), path);
    }
  };
  walk(OSV_FIXTURES);
  return builder;
}

describe('a folder of OSV JSON files', () => {
  it('is indexed in memory, per base ecosystem', async () => {
    const db = await openVulnDb(OSV_FIXTURES);
    expect(db.info.kind).toBe('osv');
    expect(db.info.ecosystems).toEqual(['Alpine', 'Debian', 'Go', 'Maven', 'PyPI', 'Red Hat', 'Ubuntu', 'npm']);
    expect(db.info.problems).toEqual([]);
    expect(await idsOf(db)).toEqual(EXPECTED_IDS);
  });

  it('also reads OSV all.zip exports (plain and ZIP64) and reports unreadable files without failing', async () => {
    const dir = tempDir();
    const records = readdirSync(join(OSV_FIXTURES, 'ghsa')).map((name) => ({ name, content: readFileSync(join(OSV_FIXTURES, 'ghsa', name)) }));
    writeFileSync(join(dir, 'all.zip'), writeZip(records));
    writeFileSync(join(dir, 'more.zip'), writeZip([{ name: 'go.json', content: readFileSync(join(OSV_FIXTURES, 'go-net.json')) }], { zip64: true }));
    writeFileSync(join(dir, 'broken.json'), '{"id": ');
    writeFileSync(join(dir, 'no-id.json'), '{"summary": "x"}');
    writeFileSync(join(dir, 'truncated.zip'), writeZip(records).subarray(0, 100));
    const db = await openVulnDb(dir);
    expect(db.info.ecosystems).toEqual(['Go', 'Maven', 'PyPI', 'npm']);
    expect((await matchPackages(db, PACKAGES)).matches.map((m) => m.id).sort()).toEqual([
      'GHSA-f1x7-0001-aaaa',
      'GHSA-f1x7-0002-bbbb',
      'GHSA-f1x7-0003-cccc',
      'GO-2099-4001',
    ]);
    expect(db.info.problems).toHaveLength(3);
    expect(db.info.problems.join('\n')).toMatch(/broken\.json: not JSON/);
    expect(db.info.problems.join('\n')).toMatch(/no-id\.json: an OSV record needs a string "id"/);
    expect(db.info.problems.join('\n')).toMatch(/truncated\.zip: not a zip archive/);
  });

  it('is as old as its newest file', async () => {
    const dir = tempDir();
    cpSync(OSV_FIXTURES, dir, { recursive: true });
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    const touch = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) touch(path);
        else utimesSync(path, tenDaysAgo, tenDaysAgo);
      }
    };
    touch(dir);
    const db = await osvFolderDb(dir);
    expect(db.ageDays()).toBeGreaterThan(9.99);
    expect(db.ageDays()).toBeLessThan(10.01);
    expect(db.isStale(7)).toBe(true);
    expect(db.isStale(14)).toBe(false);
  });
});

describe('the built index', () => {
  it('is written as one gzipped NDJSON file per ecosystem plus a manifest, and loads back to the same matches', async () => {
    const dir = tempDir();
    const store = new DirectoryVulnDataStore(dir);
    const builtAt = new Date('2099-03-01T12:00:00Z');
    const manifest = await writeIndex(store, fixtureBuilder(), builtAt);
    expect(readdirSync(dir).sort()).toEqual([
      'Alpine.ndjson.gz',
      'Debian.ndjson.gz',
      'Go.ndjson.gz',
      'Maven.ndjson.gz',
      'PyPI.ndjson.gz',
      'Red_Hat.ndjson.gz',
      'Ubuntu.ndjson.gz',
      'manifest.json',
      'npm.ndjson.gz',
    ]);
    expect(manifest).toMatchObject({ format: 'shipwatch-vulndb', schemaVersion: 1, builtAt: '2099-03-01T12:00:00.000Z' });
    expect(manifest.ecosystems.Debian).toMatchObject({ file: 'Debian.ndjson.gz', records: 2, packages: 2, updatedAt: '2099-03-01T12:00:00.000Z' });
    // GHSA-...-aaaa names an npm and a Maven package: it is in both files; the withdrawn record in none.
    expect(manifest.ecosystems.npm.records).toBe(1);
    expect(manifest.ecosystems.Maven.records).toBe(2);

    const lines = gunzipSync(readFileSync(join(dir, 'Debian.ndjson.gz'))).toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['glibc', 'openssl']);

    const db = await openVulnDb(dir);
    expect(db.info).toMatchObject({ kind: 'index', dataVersion: manifest.dataVersion, builtAt: manifest.builtAt });
    expect(await idsOf(db)).toEqual(EXPECTED_IDS);
    // Same data, same version, whichever way it was loaded.
    expect((await openVulnDb(OSV_FIXTURES)).info.dataVersion).toBe(manifest.dataVersion);
  });

  it('loads an ecosystem file only when a package of that ecosystem is matched, and only once', async () => {
    const dir = tempDir();
    const store = new DirectoryVulnDataStore(dir);
    const manifest = await writeIndex(store, fixtureBuilder());
    const reads: string[] = [];
    const counting = { location: dir, get: (key: string) => (reads.push(key), store.get(key)), put: store.put.bind(store) };
    const db = indexDb(counting, manifest);
    await matchPackages(db, [installed('npm', 'lodash', '4.17.20')]);
    await matchPackages(db, [installed('npm', 'lodash', '4.17.20')]);
    expect(reads).toEqual(['npm.ndjson.gz']);
  });

  it('parses a package line only when that package is asked for', () => {
    const index = EcosystemIndex.fromNdjson('npm', 'a\t[]\nlodash\tnot json at all\n');
    expect(index.packageCount).toBe(2);
    expect(index.advisories('a')).toEqual([]);
    expect(index.advisories('missing')).toEqual([]);
    expect(() => index.advisories('lodash')).toThrow(SyntaxError);
  });

  it('is as old as its least recently updated ecosystem, and says when it is stale', async () => {
    const manifest: IndexManifest = {
      format: 'shipwatch-vulndb',
      schemaVersion: 1,
      builtAt: '2099-03-10T00:00:00.000Z',
      dataVersion: 'x',
      ecosystems: {
        Debian: { file: 'Debian.ndjson.gz', records: 1, packages: 1, sha256: 'a', updatedAt: '2099-03-10T00:00:00.000Z' },
        npm: { file: 'npm.ndjson.gz', records: 1, packages: 1, sha256: 'b', updatedAt: '2099-03-01T00:00:00.000Z' },
      },
    };
    const db = indexDb(new DirectoryVulnDataStore(tempDir()), manifest);
    const now = new Date('2099-03-11T00:00:00.000Z');
    expect(db.info.updatedAt).toBe('2099-03-01T00:00:00.000Z');
    expect(db.ageDays(now)).toBe(10);
    expect(db.isStale(7, now)).toBe(true);
    expect(db.isStale(10, now)).toBe(false);
    expect(db.isStale(30, now)).toBe(false);
  });

  it('refuses an index of another schema version, and treats a foreign manifest.json as plain OSV data', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MANIFEST_KEY), JSON.stringify({ format: 'shipwatch-vulndb', schemaVersion: 99 }));
    await expect(openVulnDb(dir)).rejects.toThrow(/index schema 99/);
    const other = tempDir();
    writeFileSync(join(other, MANIFEST_KEY), JSON.stringify({ name: 'something else' }));
    expect(await readManifest(new DirectoryVulnDataStore(other))).toBeNull();
    expect((await openVulnDb(other)).info.kind).toBe('osv');
  });

  it('a missing folder is a clear error', async () => {
    await expect(openVulnDb(join(tempDir(), 'nope'))).rejects.toThrow(/vulnerability data folder not found/);
  });
});

describe('records that come twice', () => {
  it('are indexed once (a GHSA is in both the npm and the Maven export)', async () => {
    const dir = tempDir();
    const ghsa = readFileSync(join(OSV_FIXTURES, 'ghsa', 'GHSA-f1x7-0001-aaaa.json'));
    writeFileSync(join(dir, 'npm.zip'), writeZip([{ name: 'GHSA-f1x7-0001-aaaa.json', content: ghsa }]));
    writeFileSync(join(dir, 'maven.zip'), writeZip([{ name: 'GHSA-f1x7-0001-aaaa.json', content: ghsa }]));
    const db = await openVulnDb(dir);
    expect((await db.ecosystem('npm'))!.advisories('lodash')).toHaveLength(1);
    expect((await db.ecosystem('Maven'))!.advisories('org.webjars.npm:lodash')).toHaveLength(1);
  });
});
