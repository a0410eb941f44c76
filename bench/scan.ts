// npm run bench: end-to-end `shipwatch scan --format json` on a generated corpus, against the floor
// of merely parsing the same files with js-yaml's loadAll, measured in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { writeCorpus } from './corpus.ts';

const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 10_000);
const RUNS = 3;
const base = join(import.meta.dirname, '.corpus');

function parseFloor(files: string[]): number {
  const start = process.hrtime.bigint();
  let docs = 0;
  for (const f of files) jsyaml.loadAll(readFileSync(f, 'utf8'), () => docs++);
  if (docs !== DOCUMENTS) throw new Error(`parsed ${docs} documents, expected ${DOCUMENTS}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function scanOnce(dir: string): { ms: number; maxRssMb: number; findings: number } {
  const out = join(base, 'scan-output.json');
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [join(import.meta.dirname, 'measured-cli.mjs'), 'scan', dir, '--format', 'json', '--output', out, '--fail-on', 'none'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`scan failed (${child.status}): ${child.stderr}`);
  const maxRssMb = Number(/maxRssKb=(\d+)/.exec(child.stderr)?.[1] ?? 0) / 1024;
  const findings = (JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[] }).findings.length;
  return { ms, maxRssMb, findings };
}

/** One corpus: median of RUNS alternating parse-floor and end-to-end scan measurements. */
function measure(profile: 'typical' | 'hardened') {
  const dir = join(base, profile);
  const files = writeCorpus(dir, DOCUMENTS, profile);
  scanOnce(dir); // warm the bundle, as a user's second run would
  const floors: number[] = [];
  const scans: ReturnType<typeof scanOnce>[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(parseFloor(files));
    scans.push(scanOnce(dir));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const floor = median(floors);
  const scan = median(scans.map((s) => s.ms));
  return {
    profile,
    documents: DOCUMENTS,
    files: files.length,
    findings: scans[0].findings,
    jsYamlLoadAllMs: Math.round(floor),
    scanEndToEndMs: Math.round(scan),
    documentsPerSecond: Math.round(DOCUMENTS / (scan / 1000)),
    ratioScanToParse: Number((scan / floor).toFixed(2)),
    peakMemoryMb: Math.round(Math.max(...scans.map((s) => s.maxRssMb))),
  };
}

// "typical": real-world-looking manifests, about seven findings per document (output-bound);
// "hardened": manifests that follow the rules, where parsing and rule evaluation dominate.
console.log(JSON.stringify({ target: 'scan end to end <= 1.5x js-yaml loadAll', corpora: [measure('typical'), measure('hardened')] }, null, 2));
