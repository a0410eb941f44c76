// npm run bench:vuln: matching installed packages against a large generated OSV corpus.
// Builds an index of OSV_RECORDS records (default 200,000, spread over eight ecosystems like the real
// exports, each ecosystem as an all.zip as the sync downloads it), writes it to a folder, loads it
// back as the scanner does and matches PACKAGES installed packages (default 2,000). Prints the
// index build time, then, in a fresh process as the scanner would, the load time and match time
// (target: match < 1 s).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InstalledPackage } from '../shared/image/model.ts';
import { IndexBuilder, openVulnDb, writeIndex } from '../shared/vuln/index-db.ts';
import { matchPackages } from '../shared/vuln/match.ts';
import type { OsvRecord } from '../shared/vuln/osv.ts';
import { DirectoryVulnDataStore } from '../shared/vuln/store.ts';
import { writeZip } from '../test/support/zip.ts';

const RECORDS = Number(process.env.OSV_RECORDS ?? 200_000);
const PACKAGES = Number(process.env.PACKAGES ?? 2_000);

/** Deterministic pseudo-random numbers, so every run measures the same corpus. */
let seed = 42;
function random(): number {
  // mulberry32: 32-bit integer arithmetic only, so the sequence does not degrade.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const int = (n: number) => Math.floor(random() * n);

interface EcosystemShape {
  name: string;
  /** Share of the records. */
  share: number;
  /** Distinct package names advisories are spread over. */
  packages: number;
  releases: string[];
  version: (major: number, minor: number, patch: number, release: string) => string;
  rangeType: 'ECOSYSTEM' | 'SEMVER';
  /** Installed packages of this ecosystem in the matched set. */
  installed: number;
  installedEcosystem: string;
  sourceKeyed?: boolean;
}

const SHAPES: EcosystemShape[] = [
  { name: 'Debian', share: 0.3, packages: 6000, releases: ['Debian:11', 'Debian:12', 'Debian:13'], version: (a, b, c, r) => `${a}.${b}.${c}-${1 + (c % 4)}+deb${r.split(':')[1]}u${1 + (b % 5)}`, rangeType: 'ECOSYSTEM', installed: 450, installedEcosystem: 'Debian:12', sourceKeyed: true },
  { name: 'Ubuntu', share: 0.1, packages: 5000, releases: ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS'], version: (a, b, c) => `${a}.${b}.${c}-${1 + (c % 3)}ubuntu${b % 4}.${c}`, rangeType: 'ECOSYSTEM', installed: 0, installedEcosystem: 'Ubuntu:22.04' },
  { name: 'Alpine', share: 0.06, packages: 2500, releases: ['Alpine:v3.18', 'Alpine:v3.19', 'Alpine:v3.20'], version: (a, b, c) => `${a}.${b}.${c}-r${c % 7}`, rangeType: 'ECOSYSTEM', installed: 150, installedEcosystem: 'Alpine:v3.19', sourceKeyed: true },
  { name: 'Red Hat', share: 0.1, packages: 4000, releases: ['Red Hat:enterprise_linux:8::appstream', 'Red Hat:enterprise_linux:9::baseos'], version: (a, b, c) => `${a % 3}:${a}.${b}.${c}-${c + 1}.el9_${b % 4}`, rangeType: 'ECOSYSTEM', installed: 200, installedEcosystem: 'Red Hat:9' },
  { name: 'npm', share: 0.14, packages: 12000, releases: ['npm'], version: (a, b, c) => `${a}.${b}.${c}`, rangeType: 'SEMVER', installed: 500, installedEcosystem: 'npm' },
  { name: 'PyPI', share: 0.12, packages: 8000, releases: ['PyPI'], version: (a, b, c) => (c % 5 === 0 ? `${a}.${b}.${c}rc1` : `${a}.${b}.${c}`), rangeType: 'ECOSYSTEM', installed: 250, installedEcosystem: 'PyPI' },
  { name: 'Go', share: 0.06, packages: 4000, releases: ['Go'], version: (a, b, c) => `${a}.${b}.${c}`, rangeType: 'SEMVER', installed: 150, installedEcosystem: 'Go' },
  { name: 'Maven', share: 0.12, packages: 7000, releases: ['Maven'], version: (a, b, c) => (c % 6 === 0 ? `${a}.${b}.${c}.Final` : `${a}.${b}.${c}`), rangeType: 'ECOSYSTEM', installed: 150, installedEcosystem: 'Maven' },
];

function packageName(shape: EcosystemShape, i: number): string {
  switch (shape.name) {
    case 'Maven':
      return `org.example.group${i % 300}:artifact-${i}`;
    case 'Go':
      return `github.com/example${i % 500}/module-${i}`;
    case 'npm':
      return i % 4 === 0 ? `@scope${i % 90}/pkg-${i}` : `pkg-${i}`;
    default:
      return `lib${shape.name.toLowerCase().replace(/\s/g, '')}-${i}`;
  }
}

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N',
];

function makeRecord(shape: EcosystemShape, n: number): OsvRecord {
  const name = packageName(shape, int(shape.packages));
  const major = 1 + int(5);
  const minor = int(20);
  const patch = int(30);
  // Most distro advisories name several releases; every record names at least one.
  const releases = shape.releases.filter((_, i) => i === 0 || random() < 0.7);
  const affected = releases
    .map((ecosystem) => {
      const fixed = random() < 0.85 ? shape.version(major, minor, patch, ecosystem) : null;
      const events = [{ introduced: random() < 0.6 ? '0' : shape.version(major, Math.max(0, minor - 3), 0, ecosystem) }, ...(fixed ? [{ fixed }] : [])];
      return {
        package: { ecosystem, name },
        ranges: [{ type: shape.rangeType, events }],
        ...(shape.name === 'PyPI' ? { versions: Array.from({ length: 12 }, (_, i) => `${major}.${Math.max(0, minor - 1)}.${i}`) } : {}),
      };
    });
  return {
    id: `${shape.name.toUpperCase().replace(/\s/g, '')}-BENCH-${n}`,
    modified: '2099-01-01T00:00:00Z',
    aliases: [`CVE-2099-${100000 + n}`],
    summary: `Generated advisory ${n} for ${name}: an issue in the parser that a crafted input triggers`,
    details: 'Longer details text that the index drops, as the real exports carry several paragraphs here. '.repeat(4),
    ...(random() < 0.7 ? { severity: [{ type: 'CVSS_V3', score: VECTORS[int(VECTORS.length)] }] } : { database_specific: { severity: 'MODERATE' } }),
    affected,
  };
}

function installedPackages(): InstalledPackage[] {
  const total = SHAPES.reduce((sum, s) => sum + s.installed, 0);
  const out: InstalledPackage[] = [];
  for (const shape of SHAPES) {
    const count = Math.round((shape.installed / total) * PACKAGES);
    for (let i = 0; i < count; i++) {
      const name = packageName(shape, int(shape.packages));
      const version = shape.version(1 + int(5), int(20), int(30), shape.installedEcosystem);
      out.push({
        ecosystem: shape.installedEcosystem,
        name: shape.sourceKeyed ? `${name}-bin${i % 3}` : name,
        version,
        ...(shape.sourceKeyed ? { sourceName: name } : {}),
        path: 'bench',
        layerDigest: 'sha256:bench',
      });
    }
  }
  return out.slice(0, PACKAGES);
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** The corpus: one all.zip per ecosystem, as the sync downloads them. */
function makeCorpus(): { name: string; zip: Buffer }[] {
  const start = process.hrtime.bigint();
  const zips: { name: string; zip: Buffer }[] = [];
  let made = 0;
  for (const shape of SHAPES) {
    const count = shape === SHAPES[SHAPES.length - 1] ? RECORDS - made : Math.round(shape.share * RECORDS);
    const entries = [];
    for (let i = 0; i < count; i++) {
      const record = makeRecord(shape, made + i);
      entries.push({ name: `${record.id}.json`, content: JSON.stringify(record) });
    }
    made += count;
    zips.push({ name: shape.name, zip: writeZip(entries) });
  }
  const corpusMb = zips.reduce((sum, z) => sum + z.zip.length, 0) / 1024 / 1024;
  console.log(`corpus: ${made} OSV records in ${zips.length} ecosystem zips (${corpusMb.toFixed(1)} MB), generated in ${ms(start).toFixed(0)} ms`);
  return zips;
}

/** Builds the index into `dir` (the corpus and the builder are garbage once this returns, as in a real sync). */
async function buildIndex(dir: string): Promise<void> {
  const zips = makeCorpus();
  const start = process.hrtime.bigint();
  const builder = new IndexBuilder();
  for (const { name, zip } of zips) builder.addZip(zip, name);
  const manifest = await writeIndex(new DirectoryVulnDataStore(dir), builder);
  const indexedRecords = Object.values(manifest.ecosystems).reduce((sum, e) => sum + e.records, 0);
  console.log(`index build: ${ms(start).toFixed(0)} ms (${indexedRecords} records, ${Object.keys(manifest.ecosystems).length} ecosystem files, from zip to gzipped NDJSON on disk)`);
}

/**
 * The scanner's side, in a fresh process as in an image-scan Lambda: open the index, load the
 * ecosystems the packages need, match (twice: cold, then with the advisories already parsed).
 */
async function loadAndMatch(dir: string, packagesFile: string): Promise<void> {
  const packages = JSON.parse(readFileSync(packagesFile, 'utf8')) as InstalledPackage[];
  // CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
  const timed = async <T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const value = await fn();
    const used = process.cpuUsage(cpu);
    return { value, wall: ms(start), cpu: (used.user + used.system) / 1000 };
  };
  const figures = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} ms (CPU ${t.cpu.toFixed(0)} ms)`;

  const ecosystems = [...new Set(packages.map((p) => p.ecosystem.split(':')[0]))];
  const load = await timed(async () => {
    const db = await openVulnDb(dir);
    await Promise.all(ecosystems.map((e) => db.ecosystem(e)));
    return db;
  });
  console.log(`index load: ${figures(load)} (manifest + ${ecosystems.length} ecosystem files read, gunzipped and split by package name)`);

  const first = await timed(() => matchPackages(load.value, packages));
  const again = await timed(() => matchPackages(load.value, packages));
  if (again.value.matches.length !== first.value.matches.length) throw new Error('matching is not deterministic');
  const { matches } = first.value;
  console.log(
    `match: ${packages.length} installed packages -> ${matches.length} matches (${matches.filter((m) => !m.fixAvailable).length} unfixed) ` +
      `in ${figures(first)} (first run, includes parsing the advisories of those packages); again: ${figures(again)}`,
  );
  console.log(
    `target: match < 1000 ms -> ${first.wall < 1000 ? 'met' : 'MISSED'}; scanner process RSS after matching ` +
      `${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
  );
}

if (process.argv[2] === '--match') {
  await loadAndMatch(process.argv[3], process.argv[4]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-bench-vuln-'));
  try {
    await buildIndex(join(dir, 'index'));
    const packagesFile = join(dir, 'packages.json');
    writeFileSync(packagesFile, JSON.stringify(installedPackages()));
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--match', join(dir, 'index'), packagesFile], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`the matching process failed (${child.status ?? child.signal})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
