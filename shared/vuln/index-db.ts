/**
 * The compact vulnerability index the scanner loads, and the loaders for it.
 *
 * Layout (a folder, or an S3 prefix):
 * - `manifest.json`: format, build time, data version, and per OSV base ecosystem its file, record
 *   and package counts, content hash, when its data was last confirmed current and where it came from.
 * - `<Ecosystem>.ndjson.gz`: one line per package name, `name<TAB>[advisories...]`, sorted by name.
 *   An advisory keeps only what matching needs (id, aliases, summary, severity, and the affected
 *   entries for that package with their ranges already sorted). Lines are parsed only for the
 *   package names a scan asks for.
 *
 * `openVulnDb` also accepts a folder of plain OSV JSON files (and OSV `all.zip` exports) and
 * indexes it in memory; which of the two a folder is follows from its `manifest.json`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ecosystemBase,
  normalizePackageName,
  type OsvRecord,
  parseOsvRecord,
  type SeverityVerdict,
  severityOf,
  type SortedRange,
  sortRanges,
  versionSchemeFor,
} from './osv.ts';
import { DirectoryVulnDataStore, type VulnDataStore } from './store.ts';
import { listZipEntries, readZipEntry } from './zip.ts';

export const INDEX_FORMAT = 'shipwatch-vulndb';
export const INDEX_SCHEMA_VERSION = 1;
export const MANIFEST_KEY = 'manifest.json';
const DAY_MS = 86_400_000;

export interface IndexedAffected {
  /** The advisory's ecosystem with its release (`Debian:12`). */
  ecosystem: string;
  ranges: SortedRange[];
  versions?: string[];
  /** Only when this entry's severity differs from the advisory's. */
  severity?: SeverityVerdict;
}

export interface IndexedAdvisory {
  id: string;
  aliases: string[];
  summary: string | null;
  modified: string | null;
  severity: SeverityVerdict;
  affected: IndexedAffected[];
}

export interface EcosystemManifestEntry {
  file: string;
  records: number;
  packages: number;
  /** sha256 of the uncompressed file. */
  sha256: string;
  /** When this ecosystem's data was last confirmed current (downloaded, or unchanged upstream). */
  updatedAt: string;
  source?: { url: string; etag: string | null; lastModified: string | null };
}

export interface IndexManifest {
  format: typeof INDEX_FORMAT;
  schemaVersion: number;
  builtAt: string;
  dataVersion: string;
  ecosystems: Record<string, EcosystemManifestEntry>;
}

// --- one ecosystem ---------------------------------------------------------------------------------

/** The advisories of one OSV base ecosystem, by normalised package name. */
export class EcosystemIndex {
  private readonly parsed = new Map<string, IndexedAdvisory[]>();

  private constructor(
    readonly ecosystem: string,
    /** Unparsed lines by name (from a file), parsed on first use. */
    private readonly lines: Map<string, string>,
  ) {}

  static fromGroups(ecosystem: string, groups: Map<string, IndexedAdvisory[]>): EcosystemIndex {
    const index = new EcosystemIndex(ecosystem, new Map());
    for (const [name, advisories] of groups) index.parsed.set(name, advisories);
    return index;
  }

  /** Reads the NDJSON file; only the names are looked at now. */
  static fromNdjson(ecosystem: string, text: string): EcosystemIndex {
    const lines = new Map<string, string>();
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const tab = text.indexOf('\t', start);
      if (tab > start && tab < end) lines.set(text.slice(start, tab), text.slice(tab + 1, end));
      start = end + 1;
    }
    return new EcosystemIndex(ecosystem, lines);
  }

  get packageCount(): number {
    return this.parsed.size + this.lines.size;
  }

  /** Advisories naming the package (name already normalised for the ecosystem). */
  advisories(name: string): IndexedAdvisory[] {
    let found = this.parsed.get(name);
    if (found) return found;
    const line = this.lines.get(name);
    if (line === undefined) return [];
    found = JSON.parse(line) as IndexedAdvisory[];
    this.parsed.set(name, found);
    this.lines.delete(name);
    return found;
  }

  *entries(): Generator<[string, IndexedAdvisory[]]> {
    for (const name of [...this.parsed.keys(), ...this.lines.keys()]) yield [name, this.advisories(name)];
  }
}

// --- building ----------------------------------------------------------------------------------------

/** Groups OSV records by base ecosystem and package name, keeping what matching needs. */
export class IndexBuilder {
  private readonly groups = new Map<string, Map<string, IndexedAdvisory[]>>();
  private readonly recordIds = new Map<string, Set<string>>();
  readonly skipped: string[] = [];

  /** `only`: keep just these base ecosystems (an `npm` export's GHSA records also name Maven packages). */
  constructor(private readonly only?: ReadonlySet<string>) {}

  add(record: OsvRecord): void {
    if (record.withdrawn) return;
    const recordSeverity = severityOf(record);
    const perPackage = new Map<string, { base: string; name: string; affected: IndexedAffected[] }>();
    for (const affected of record.affected ?? []) {
      const ecosystem = affected.package?.ecosystem;
      const rawName = affected.package?.name;
      if (typeof ecosystem !== 'string' || typeof rawName !== 'string') continue;
      const base = ecosystemBase(ecosystem);
      const scheme = versionSchemeFor(ecosystem);
      if (!scheme || (this.only && !this.only.has(base))) continue;
      const name = normalizePackageName(ecosystem, rawName);
      if (name === '' || /[\t\n\r]/.test(name)) continue;
      const entry: IndexedAffected = { ecosystem, ranges: sortRanges(affected.ranges ?? [], scheme) };
      const versions = (affected.versions ?? []).filter((v): v is string => typeof v === 'string');
      if (versions.length) entry.versions = versions;
      if (entry.ranges.length === 0 && !entry.versions) continue; // only GIT ranges: nothing to compare against
      const severity = severityOf(record, affected);
      if (severity.severity !== recordSeverity.severity || severity.score !== recordSeverity.score) entry.severity = severity;
      const key = `${base}\u0000${name}`;
      const group = perPackage.get(key) ?? { base, name, affected: [] };
      group.affected.push(entry);
      perPackage.set(key, group);
    }
    // The same record can come twice (a GHSA is in the npm and the Maven export): keep the first.
    const seenIn = new Set([...perPackage.values()].map((g) => g.base).filter((base) => this.recordIds.get(base)?.has(record.id)));
    for (const { base, name, affected } of perPackage.values()) {
      if (seenIn.has(base)) continue;
      let byName = this.groups.get(base);
      if (!byName) this.groups.set(base, (byName = new Map()));
      const list = byName.get(name) ?? [];
      list.push({
        id: record.id,
        aliases: (record.aliases ?? []).filter((a): a is string => typeof a === 'string'),
        summary: summaryOf(record),
        modified: record.modified ?? null,
        severity: recordSeverity,
        affected,
      });
      byName.set(name, list);
      let ids = this.recordIds.get(base);
      if (!ids) this.recordIds.set(base, (ids = new Set()));
      ids.add(record.id);
    }
  }

  /** Adds every record of an OSV JSON document (one record, or an array of them). */
  addJson(text: string, origin: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.skipped.push(`${origin}: not JSON (${(e as Error).message})`);
      return;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        this.add(parseOsvRecord(item));
      } catch (e) {
        this.skipped.push(`${origin}: ${(e as Error).message}`);
      }
    }
  }

  /** Adds every `.json` entry of an OSV export zip. */
  addZip(zip: Buffer, origin: string): void {
    for (const entry of listZipEntries(zip)) {
      if (!entry.name.endsWith('.json')) continue;
      this.addJson(readZipEntry(zip, entry).toString('utf8'), `${origin}!${entry.name}`);
    }
  }

  ecosystems(): string[] {
    return [...this.groups.keys()].sort();
  }

  recordCount(ecosystem: string): number {
    return this.recordIds.get(ecosystem)?.size ?? 0;
  }

  index(ecosystem: string): EcosystemIndex {
    return EcosystemIndex.fromGroups(ecosystem, this.groups.get(ecosystem) ?? new Map());
  }

  /** The ecosystem's index file as text: names sorted, so equal data gives equal bytes. */
  private text(ecosystem: string): { text: string; packages: number } {
    const byName = this.groups.get(ecosystem) ?? new Map<string, IndexedAdvisory[]>();
    const names = [...byName.keys()].sort();
    return { text: names.map((name) => `${name}\t${JSON.stringify(byName.get(name))}\n`).join(''), packages: names.length };
  }

  contentHash(ecosystem: string): string {
    return createHash('sha256').update(this.text(ecosystem).text).digest('hex');
  }

  /** The ecosystem's index file, gzipped. */
  serialize(ecosystem: string): { body: Buffer; sha256: string; packages: number; records: number } {
    const { text, packages } = this.text(ecosystem);
    return {
      body: gzipSync(text),
      sha256: createHash('sha256').update(text).digest('hex'),
      packages,
      records: this.recordCount(ecosystem),
    };
  }
}

function summaryOf(record: OsvRecord): string | null {
  if (typeof record.summary === 'string' && record.summary.trim()) return record.summary.trim();
  if (typeof record.details === 'string' && record.details.trim()) {
    const first = record.details.trim().split('\n')[0];
    return first.length > 200 ? `${first.slice(0, 199)}…` : first;
  }
  return null;
}

/** File name of an ecosystem's index (`Red Hat` -> `Red_Hat.ndjson.gz`). */
export function indexFileName(ecosystem: string): string {
  return `${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}.ndjson.gz`;
}

/** A short content hash over every ecosystem's data: changes exactly when some data changed. */
export function dataVersionOf(ecosystems: Record<string, EcosystemManifestEntry>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(ecosystems).sort()) hash.update(`${name}\u0000${ecosystems[name].sha256}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Writes the ecosystems' index files, then the manifest (so a reader finds files before they are listed). */
export async function writeIndex(store: VulnDataStore, builder: IndexBuilder, now = new Date()): Promise<IndexManifest> {
  const ecosystems: Record<string, EcosystemManifestEntry> = {};
  for (const ecosystem of builder.ecosystems()) {
    const file = indexFileName(ecosystem);
    const { body, sha256, packages, records } = builder.serialize(ecosystem);
    await store.put(file, body, 'application/gzip');
    ecosystems[ecosystem] = { file, records, packages, sha256, updatedAt: now.toISOString() };
  }
  const manifest = makeManifest(ecosystems, now);
  await writeManifest(store, manifest);
  return manifest;
}

export function makeManifest(ecosystems: Record<string, EcosystemManifestEntry>, now: Date): IndexManifest {
  return {
    format: INDEX_FORMAT,
    schemaVersion: INDEX_SCHEMA_VERSION,
    builtAt: now.toISOString(),
    dataVersion: dataVersionOf(ecosystems),
    ecosystems,
  };
}

export async function writeManifest(store: VulnDataStore, manifest: IndexManifest): Promise<void> {
  await store.put(MANIFEST_KEY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'application/json');
}

/** The store's manifest; null when it has none; an error when it is not ours or from a newer schema. */
export async function readManifest(store: VulnDataStore): Promise<IndexManifest | null> {
  const raw = await store.get(MANIFEST_KEY);
  if (!raw) return null;
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as IndexManifest;
  } catch (e) {
    throw new Error(`${store.location}: ${MANIFEST_KEY} is not JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== INDEX_FORMAT) return null;
  if (manifest.schemaVersion !== INDEX_SCHEMA_VERSION) {
    throw new Error(`${store.location}: index schema ${manifest.schemaVersion}, this Shipwatch reads ${INDEX_SCHEMA_VERSION} (re-run the vulndb sync)`);
  }
  return manifest;
}

// --- the database a scan uses -------------------------------------------------------------------------

export interface VulnDbInfo {
  /** Where the data came from. */
  location: string;
  /** A built index, or a folder of OSV files indexed in memory. */
  kind: 'index' | 'osv';
  dataVersion: string;
  builtAt: string;
  /** The oldest "last confirmed current" time among the ecosystems: the data's age is measured from here. */
  updatedAt: string;
  /** Base ecosystems with data (`Debian`, `npm`, ...). */
  ecosystems: string[];
  /** Files or records that could not be read (a folder of OSV files); the rest was indexed. */
  problems: string[];
}

export class VulnDb {
  private readonly loaded = new Map<string, Promise<EcosystemIndex | null>>();

  constructor(
    readonly info: VulnDbInfo,
    private readonly load: (ecosystem: string) => Promise<EcosystemIndex | null>,
  ) {}

  /** Age of the data in days (fractional). */
  ageDays(now = new Date()): number {
    return Math.max(0, (now.getTime() - Date.parse(this.info.updatedAt)) / DAY_MS);
  }

  isStale(maxAgeDays: number, now = new Date()): boolean {
    return this.ageDays(now) > maxAgeDays;
  }

  hasEcosystem(ecosystem: string): boolean {
    return this.info.ecosystems.includes(ecosystem);
  }

  /** One base ecosystem's index, loaded once (null when the data has none). */
  ecosystem(ecosystem: string): Promise<EcosystemIndex | null> {
    let pending = this.loaded.get(ecosystem);
    if (!pending) {
      pending = this.hasEcosystem(ecosystem) ? this.load(ecosystem) : Promise.resolve(null);
      // A failed load is retried by the next scan instead of being remembered.
      pending.catch(() => this.loaded.delete(ecosystem));
      this.loaded.set(ecosystem, pending);
    }
    return pending;
  }
}

/** A database over a built index in a store (folder or S3); ecosystem files load on first use. */
export function indexDb(store: VulnDataStore, manifest: IndexManifest): VulnDb {
  const entries = Object.entries(manifest.ecosystems);
  const updatedAt = entries.map(([, e]) => e.updatedAt).sort()[0] ?? manifest.builtAt;
  return new VulnDb(
    {
      location: store.location,
      kind: 'index',
      dataVersion: manifest.dataVersion,
      builtAt: manifest.builtAt,
      updatedAt,
      ecosystems: entries.map(([name]) => name).sort(),
      problems: [],
    },
    async (ecosystem) => {
      const entry = manifest.ecosystems[ecosystem];
      const body = await store.get(entry.file);
      if (!body) throw new Error(`${store.location}: ${entry.file} is listed in the manifest but missing`);
      return EcosystemIndex.fromNdjson(ecosystem, gunzipSync(body).toString('utf8'));
    },
  );
}

/**
 * Indexes a folder of OSV JSON files and `.zip` exports in memory. Its age is that of the newest
 * file (when the data was fetched), since plain OSV files carry no build time of their own.
 */
export async function osvFolderDb(dir: string): Promise<VulnDb> {
  const builder = new IndexBuilder();
  let newest = 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && (entry.name.endsWith('.json') || entry.name.endsWith('.zip'))) {
        newest = Math.max(newest, (await stat(path)).mtimeMs);
        const body = await readFile(path);
        try {
          if (entry.name.endsWith('.zip')) builder.addZip(body, path);
          else builder.addJson(body.toString('utf8'), path);
        } catch (e) {
          builder.skipped.push(`${path}: ${(e as Error).message}`);
        }
      }
    }
  };
  await walk(dir);
  const ecosystems = builder.ecosystems();
  const indexes = new Map(ecosystems.map((e) => [e, builder.index(e)]));
  const hash = createHash('sha256');
  for (const e of ecosystems) hash.update(`${e}\u0000${builder.contentHash(e)}\n`);
  const updatedAt = new Date(newest || Date.now()).toISOString();
  return new VulnDb(
    {
      location: dir,
      kind: 'osv',
      dataVersion: hash.digest('hex').slice(0, 16),
      builtAt: new Date().toISOString(),
      updatedAt,
      ecosystems,
      problems: builder.skipped,
    },
    async (ecosystem) => indexes.get(ecosystem) ?? null,
  );
}

/** How long a warm Lambda trusts the S3 manifest it read before looking for a newer one. */
const MANIFEST_RECHECK_MS = 5 * 60_000;
const s3Cache = new Map<string, { db: VulnDb; checkedAt: number }>();

/**
 * Opens the vulnerability data at `location` (`--vuln-db` / `SHIPWATCH_VULN_DB`):
 * - `s3://bucket/prefix/`: a built index in S3; kept in memory across invocations of a warm
 *   Lambda, and replaced when a newer manifest appears;
 * - a folder with our `manifest.json`: a built index;
 * - any other folder: OSV JSON files and `all.zip` exports, indexed in memory.
 */
export async function openVulnDb(location: string, now = Date.now()): Promise<VulnDb> {
  if (location.startsWith('s3://')) {
    const cached = s3Cache.get(location);
    if (cached && now - cached.checkedAt < MANIFEST_RECHECK_MS) return cached.db;
    const { S3VulnDataStore, parseS3Uri } = await import('./s3-store.ts');
    const store = new S3VulnDataStore(parseS3Uri(location));
    const manifest = await readManifest(store);
    if (!manifest) throw new Error(`${store.location}: no vulnerability index (${MANIFEST_KEY}); has the vulndb-sync function run?`);
    const db = cached && cached.db.info.dataVersion === manifest.dataVersion ? cached.db : indexDb(store, manifest);
    s3Cache.set(location, { db, checkedAt: now });
    return db;
  }
  const info = await stat(location).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`vulnerability data folder not found: ${location}`);
  const store = new DirectoryVulnDataStore(location);
  const manifest = await readManifest(store);
  return manifest ? indexDb(store, manifest) : osvFolderDb(location);
}
