// npm run bench:image: scans a generated image of 200+ MB (compressed) end to end, as `shipwatch
// image` does (every analyzer, secrets in every layer, the IMG checks, vulnerability matching against
// a folder of OSV records), against the floor of merely gunzipping the same layers and walking them
// as tar, in the same run. Each measurement runs in a fresh process (RUNS each, alternating;
// medians), so peak memory is the scan's own. It also reports the read alone (layers and analyzers,
// no checks or matching) and the read with every layer digest re-hashed, as a registry pull does.
// Wall time and CPU time (main thread plus zlib's thread pool) are both reported: on a shared
// machine the CPU ratio is the steadier one. Targets: scan <= 1.5x the floor, peak < 512 MB.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { readImage } from '../shared/image/read.ts';
import { scanImage } from '../shared/image/scan.ts';
import { osvFolderDb, type VulnDb } from '../shared/vuln/index-db.ts';

const CORPUS_VERSION = '2';
const dir = join(tmpdir(), `shipwatch-bench-image-v${CORPUS_VERSION}`);
const MiB = 1024 * 1024;

/** Deterministic pseudo-random words for text files (compressible like real text). */
let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4_294_967_296);
const WORDS = 'the of and to in is for on with as by at from this that be are or an it not which have has can will config value error return function module package version install library system file data user'.split(' ');
function text(bytes: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = WORDS[Math.floor(rand() * WORDS.length)];
    parts.push(word);
    length += word.length + 1;
  }
  return Buffer.from(parts.join(' ').slice(0, bytes));
}
const elf = (bytes: number) => Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), randomBytes(bytes - 7)]);

type File = { path: string; content: Buffer; mode?: number };

function dpkgStatus(count: number): Buffer {
  return Buffer.from(
    Array.from({ length: count }, (_, i) => `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nSource: src${i % 700}\nVersion: 1.${i % 50}.${i}-1+deb12u1\nDescription: generated package ${i}\n long description line\n`).join('\n'),
  );
}

function layers(): File[][] {
  const base: File[] = [
    { path: 'etc/os-release', content: Buffer.from('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n') },
    { path: 'var/lib/dpkg/status', content: dpkgStatus(1800) },
    ...Array.from({ length: 40 }, (_, i) => ({ path: `usr/lib/x86_64-linux-gnu/lib${i}.so.1`, content: elf(MiB) })),
    ...Array.from({ length: 3000 }, (_, i) => ({ path: `usr/share/doc/pkg${i}/copyright`, content: text(4096) })),
  ];
  const runtime: File[] = [
    ...Array.from({ length: 30 }, (_, i) => ({ path: `usr/local/bin/tool${i}`, content: elf(1.5 * MiB), mode: 0o755 })),
    ...Array.from({ length: 300 }, (_, i) => ({ path: `usr/lib/python3/dist-packages/pkg${i}-1.${i}.dist-info/METADATA`, content: Buffer.from(`Metadata-Version: 2.1\nName: Py_Pkg.${i}\nVersion: 1.${i}.0\n\n${text(2000)}`) })),
    ...Array.from({ length: 300 }, (_, i) => ({ path: `usr/lib/python3/dist-packages/pkg${i}/__init__.py`, content: text(8192) })),
  ];
  const lock: Record<string, { version: string }> = {};
  const app: File[] = [];
  for (let i = 0; i < 1500; i++) {
    const name = i % 5 === 0 ? `@scope${i % 7}/pkg${i}` : `pkg${i}`;
    lock[`node_modules/${name}`] = { version: `2.${i % 30}.${i}` };
    app.push({ path: `app/node_modules/${name}/package.json`, content: Buffer.from(JSON.stringify({ name, version: `2.${i % 30}.${i}`, description: text(200).toString() })) });
    for (let f = 0; f < 3; f++) app.push({ path: `app/node_modules/${name}/lib/file${f}.js`, content: text(6000) });
  }
  app.push({ path: 'app/package-lock.json', content: Buffer.from(JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, ...lock } })) });
  const jars: File[] = Array.from({ length: 20 }, (_, i) => ({ path: `opt/app/lib/lib${i}.jar`, content: jar(i) }));
  const data: File[] = [
    ...Array.from({ length: 45 }, (_, i) => ({ path: `app/assets/blob${i}.bin`, content: randomBytes(2 * MiB) })),
    { path: 'var/lib/dpkg/status', content: dpkgStatus(2000) },
    { path: 'usr/share/doc/pkg0/.wh.copyright', content: Buffer.alloc(0) },
  ];
  return [base, runtime, app, jars, data];
}

/** A stored (uncompressed) jar: pom.properties plus 2 MiB of class data. */
function jar(i: number): Buffer {
  const entries = [
    { name: `META-INF/maven/com.example/lib${i}/pom.properties`, data: Buffer.from(`groupId=com.example\nartifactId=lib${i}\nversion=1.${i}.0\n`) },
    { name: `com/example/lib${i}/Classes.bin`, data: randomBytes(2 * MiB) },
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function writeBlob(write: (out: NodeJS.WritableStream) => Promise<void>): Promise<{ digest: string; size: number }> {
  const temp = join(dir, 'blobs', 'sha256', `tmp-${process.pid}`);
  await write(createWriteStream(temp));
  const bytes = readFileSync(temp);
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  renameSync(temp, join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, size: bytes.length };
}

async function buildCorpus(): Promise<void> {
  if (existsSync(join(dir, 'index.json'))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const layerDescriptors = [];
  const diffIds = [];
  for (const files of layers()) {
    const pack = tar.pack();
    const tarHash = createHash('sha256');
    const blob = writeBlob((out) => pipeline(pack, async function* (source) {
      for await (const chunk of source) {
        tarHash.update(chunk as Buffer);
        yield chunk;
      }
    }, createGzip(), out));
    for (const f of files) {
      await new Promise<void>((resolve, reject) => pack.entry({ name: f.path, mode: f.mode ?? 0o644, mtime: new Date(0) }, f.content, (e) => (e ? reject(e) : resolve())));
    }
    pack.finalize();
    const { digest, size } = await blob;
    layerDescriptors.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size });
    diffIds.push(`sha256:${tarHash.digest('hex')}`);
  }
  const json = async (value: unknown, mediaType: string) => {
    const bytes = Buffer.from(JSON.stringify(value));
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
    return { mediaType, digest, size: bytes.length };
  };
  const config = await json({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds }, history: diffIds.map(() => ({ created_by: 'RUN generate' })) }, 'application/vnd.oci.image.config.v1+json');
  const manifest = await json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: layerDescriptors }, 'application/vnd.oci.image.manifest.v1+json');
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeOsvRecords();
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [manifest] }));
}

const osvDir = join(dir, 'osv');

/** Advisories for a share of the image's Debian source packages and npm packages, some fixed, some not. */
function writeOsvRecords(): void {
  mkdirSync(osvDir, { recursive: true });
  const record = (id: string, ecosystem: string, name: string, fixed: string | null) => ({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(fixed ? [{ fixed }] : [])] }] }],
    database_specific: { severity: 'HIGH' },
  });
  for (let i = 0; i < 300; i++) writeFileSync(join(osvDir, `DEB-${i}.json`), JSON.stringify(record(`DEBIAN-CVE-2026-${i}`, 'Debian:12', `src${i * 2}`, i % 3 ? `9.0.0-1` : null)));
  for (let i = 0; i < 300; i++) writeFileSync(join(osvDir, `NPM-${i}.json`), JSON.stringify(record(`GHSA-bench-${i}`, 'npm', `pkg${i * 4 + 1}`, i % 2 ? '99.0.0' : null)));
}

function layerFiles(): { path: string; size: number }[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8')) as { layers: { digest: string; size: number }[] };
  return manifest.layers.map((l) => ({ path: join(dir, 'blobs', 'sha256', l.digest.slice(7)), size: l.size }));
}

/** The floor: gunzip every layer and walk its tar entries, nothing else. */
async function floor(): Promise<Record<string, number>> {
  let entries = 0;
  let bytes = 0;
  for (const layer of layerFiles()) {
    const extract = tar.extract();
    extract.on('entry', (_header, stream, next) => {
      entries++;
      stream.on('end', () => next());
      stream.resume();
    });
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    gunzip.on('data', (c: Buffer) => (bytes += c.length));
    await pipeline(createReadStream(layer.path, { highWaterMark: 256 * 1024 }), gunzip, extract as unknown as NodeJS.WritableStream);
  }
  return { entries, decompressedMb: Math.round(bytes / MiB) };
}

/** The whole scan, as `shipwatch image DIR --vuln-db OSV_DIR` runs it, with the data already open (a warm Lambda keeps it). */
async function scan(vulnDb: VulnDb): Promise<Record<string, number>> {
  const result = await scanImage(dir, { layerCache: null, probeSignatures: false, vulnDb });
  if (result.errors.length) throw new Error(`scan failed: ${result.errors[0].message}`);
  const vulnerabilities = result.findings.filter((f) => f.ruleId.startsWith('IMG-08')).length;
  return { findings: result.findings.length, vulnerabilityFindings: vulnerabilities };
}

async function read(verifyLayerDigests: boolean): Promise<Record<string, number>> {
  const [result] = await readImage(dir, { layerCache: null, verifyLayerDigests });
  if (result.status !== 'scanned') throw new Error(`read failed: ${result.status === 'failed' ? result.error : 'skipped'}`);
  return { entries: result.entries.length, packages: result.analysis.packages.length };
}

async function measure(what: string): Promise<void> {
  const vulnDb = what === 'scan' ? await osvFolderDb(osvDir) : null;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const facts = what === 'floor' ? await floor() : vulnDb ? await scan(vulnDb) : await read(what === 'read:verify');
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, ...facts }));
}

function run(what: string): { ms: number; cpuMs: number; maxRssMb: number } & Record<string, number> {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--measure', what], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${what} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3]);
} else {
  const buildStart = Date.now();
  await buildCorpus();
  const buildMs = Date.now() - buildStart;
  const compressed = layerFiles().reduce((sum, l) => sum + l.size, 0);
  const RUNS = Number(process.env.BENCH_RUNS ?? 5);
  const floors = [];
  const scans = [];
  const reads = [];
  const verified = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(run('floor'));
    scans.push(run('scan'));
    reads.push(run('read'));
    verified.push(run('read:verify'));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ms = (runs: { ms: number }[]) => median(runs.map((r) => r.ms));
  const cpu = (runs: { cpuMs: number }[]) => median(runs.map((r) => r.cpuMs));
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const floorMs = ms(floors);
  const floorCpu = cpu(floors);
  console.log(
    JSON.stringify(
      {
        image: { layers: layerFiles().length, compressedMb: Math.round(compressed / MiB), decompressedMb: floors[0].decompressedMb, entries: reads[0].entries, packages: reads[0].packages, findings: scans[0].findings, vulnerabilityFindings: scans[0].vulnerabilityFindings },
        corpusBuildMs: buildMs,
        floorGunzipAndTarWalkMs: Math.round(floorMs),
        scanMs: Math.round(ms(scans)),
        ratioScanToFloor: ratio(ms(scans), floorMs),
        ratioCpuScanToFloor: ratio(cpu(scans), floorCpu),
        readOnlyMs: Math.round(ms(reads)),
        ratioReadOnlyToFloor: ratio(ms(reads), floorMs),
        // What a registry pull adds: every layer blob's sha256 checked against its digest.
        readVerifyingDigestsMs: Math.round(ms(verified)),
        ratioReadVerifyingDigestsToFloor: ratio(ms(verified), floorMs),
        floorCpuMs: Math.round(floorCpu),
        scanCpuMs: Math.round(cpu(scans)),
        peakMemoryMb: Math.round(Math.max(...[...scans, ...reads, ...verified].map((s) => s.maxRssMb))),
        floorPeakMemoryMb: Math.round(Math.max(...floors.map((f) => f.maxRssMb))),
        loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
        targets: 'ratio <= 1.5, peak memory < 512 MB',
      },
      null,
      2,
    ),
  );
}
