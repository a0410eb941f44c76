// npm run bench:api: the dashboard and the findings API on `shipwatch serve` (the real command, in
// its own process) with 50,000 stored findings in the embedded store.
//   first load: index.html, then its script and stylesheet, /config.json and the overview's API call
//               (/stats), fetched over HTTP as a browser does (target < 1 s); plus, when Debian's
//               chromium is installed, a real browser from navigation to the rendered counts;
//   GET /findings: a filtered page (filters rotate: severity+source, repo, rule+status, text search,
//               a second page by cursor), p50/p99 over many requests (target p99 < 100 ms).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEVERITIES, type Finding, type FindingSource, type Severity } from '../shared/findings/finding.ts';
import { scopeKey, type FindingScope } from '../shared/pipeline/model.ts';
import { ensureDashboardBuild } from '../shared/server/dashboard.ts';
import { LocalFindingStore } from '../shared/store/local.ts';
import { createHash } from 'node:crypto';

const TOTAL = Number(process.env.BENCH_FINDINGS ?? 50_000);
const FIRST_LOADS = 20;
const FINDINGS_REQUESTS = 500;
const DAY = 86_400_000;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (n: number) => `${n.toFixed(1)} ms`;

// A severity mix like a real estate's: few critical, many medium and low.
const SEVERITY_MIX: Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'info'];

function makeFinding(source: FindingSource, scopeName: string, i: number): Finding {
  const severity = SEVERITY_MIX[i % SEVERITY_MIX.length];
  const family = source === 'iac' ? (i % 5 === 0 ? 'DOCKER' : 'K8S') : source === 'image' ? 'IMG' : 'AUDIT';
  const ruleId = `${family}-${String((i % (family === 'K8S' ? 66 : 18)) + 1).padStart(3, '0')}`;
  const name = `app-${i % 400}`;
  return {
    ruleId,
    severity,
    title: `${ruleId} check ${i % 37}`,
    message: `${name} in ${scopeName} breaks ${ruleId} (container ${i % 3})`,
    remediation: 'Fix the manifest.',
    fingerprint: sha(`${scopeName}\u0000${i}`),
    source,
    location: source === 'iac' ? { file: `deploy/${name}.yaml`, line: 10 + (i % 90) } : null,
    resource: source === 'image' ? null : { apiVersion: 'apps/v1', kind: 'Deployment', namespace: `team-${i % 12}`, name },
    container: source === 'iac' ? `c${i % 3}` : null,
    compliance: family === 'K8S' ? ['CIS-K8S 5.2.2'] : [],
    // 2% accepted in the source (annotation), as teams do.
    suppressed: i % 50 === 7,
    suppression: i % 50 === 7 ? { source: 'annotation', reason: 'accepted for the benchmark', expires: null } : null,
  };
}

/** 80% repository findings (200 repos), 12% image findings (50 images), 8% audit findings (20 clusters), over 30 days; 10% of each repository's findings resolved by its second scan. */
async function seed(dir: string, now: number): Promise<void> {
  const store = await LocalFindingStore.open({ dir, now: () => new Date(now) });
  const plan: { scope: FindingScope; source: FindingSource; count: number }[] = [];
  const add = (n: number, share: number, make: (k: number) => FindingScope, source: FindingSource) => {
    for (let k = 0; k < n; k++) plan.push({ scope: make(k), source, count: Math.round((TOTAL * share) / n) });
  };
  add(200, 0.8, (k) => ({ repo: `github:acme/service-${k}`, ref: 'main' }), 'iac');
  add(50, 0.12, (k) => ({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-${k}` }), 'image');
  add(20, 0.08, (k) => ({ cluster: `cluster-${k}` }), 'audit');
  // All scopes at once: the store coalesces its snapshot writes.
  await Promise.all(
    plan.map(async ({ scope, source, count }, k) => {
      const key = scopeKey(scope);
      const findings = Array.from({ length: count }, (_, i) => makeFinding(source, key, i));
      const first = new Date(now - ((k % 29) + 1) * DAY).toISOString();
      const record = (at: string) => ({ at, commit: 'bench', summary: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, trigger: 'bench' });
      await store.applyScan(scope, findings, record(first));
      if (source === 'iac') await store.applyScan(scope, findings.slice(0, Math.floor(count * 0.9)), record(new Date(Date.parse(first) + DAY / 2).toISOString()));
    }),
  );
  await store.flush();
}

/** What a browser fetches for the overview: the page, what it references, the config and the stats. */
async function firstLoad(base: string): Promise<{ total: number; html: number; assets: number; api: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const page = await fetch(`${base}/`);
  const html = await page.text();
  const htmlMs = ms(start);
  const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  if (assets.length < 2) throw new Error(`the page references ${assets.length} assets`);
  const assetStart = process.hrtime.bigint();
  const bodies = await Promise.all([...assets.map((a) => fetch(`${base}/${a}`)), fetch(`${base}/config.json`)].map(async (r) => Buffer.from(await (await r).arrayBuffer())));
  const assetsMs = ms(assetStart);
  const apiStart = process.hrtime.bigint();
  const stats = await fetch(`${base}/stats?days=30`);
  if (!stats.ok) throw new Error(`/stats answered ${stats.status}`);
  const statsBody = Buffer.from(await stats.arrayBuffer());
  const apiMs = ms(apiStart);
  return { total: ms(start), html: htmlMs, assets: assetsMs, api: apiMs, bytes: html.length + statsBody.length + bodies.reduce((n, b) => n + b.length, 0) };
}

async function browserFirstLoad(base: string): Promise<number[] | null> {
  if (!existsSync('/usr/bin/chromium')) return null;
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'shipwatch-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await context.newPage();
      // A cold page cache each time, like a first visit.
      const session = await context.newCDPSession(page);
      await session.send('Network.setCacheDisabled', { cacheDisabled: true });
      const start = process.hrtime.bigint();
      await page.goto(`${base}/`);
      await page.locator('[data-count="total"]').waitFor();
      times.push(ms(start));
      await page.close();
    }
    return times;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** `shipwatch serve` on a free port in its own process, as a user runs it; resolves with its URL once it listens. */
function serve(dataDir: string): Promise<{ url: string; close: () => void }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('SHIPWATCH_')));
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'shipwatch.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`shipwatch serve exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        child.removeAllListeners('exit');
        resolve({ url, close: () => child.kill('SIGTERM') });
      }
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-bench-api-'));
  const now = Date.now();
  try {
    let start = process.hrtime.bigint();
    await seed(dir, now);
    console.log(`seeded ${TOTAL} findings in ${fmt(ms(start))}`);
    start = process.hrtime.bigint();
    await ensureDashboardBuild();
    console.log(`dashboard bundle ready in ${fmt(ms(start))}`);
    start = process.hrtime.bigint();
    const server = await serve(dir);
    console.log(`shipwatch serve (its own process) loaded the store in ${fmt(ms(start))}`);
    try {
      const stored = (await (await fetch(`${server.url}/stats`)).json()) as { byStatus: Record<string, number> };
      const count = Object.values(stored.byStatus).reduce((a, b) => a + b, 0);
      if (count !== TOTAL) throw new Error(`the store holds ${count} findings, expected ${TOTAL}`);
      console.log(`store: ${JSON.stringify(stored.byStatus)}`);

      const loads: Awaited<ReturnType<typeof firstLoad>>[] = [];
      for (let i = 0; i < FIRST_LOADS; i++) loads.push(await firstLoad(server.url));
      const totals = loads.map((l) => l.total);
      const [cold] = loads;
      console.log(`\ndashboard first load over HTTP (page + ${'script, stylesheet, config'} + GET /stats), ${FIRST_LOADS} loads, ${(cold.bytes / 1024).toFixed(0)} KiB:`);
      console.log(`  first (server cold): ${fmt(cold.total)} (page ${fmt(cold.html)}, assets ${fmt(cold.assets)}, /stats ${fmt(cold.api)})`);
      console.log(`  p50 ${fmt(percentile(totals, 50))}  p99/max ${fmt(percentile(totals, 99))}  /stats p50 ${fmt(percentile(loads.map((l) => l.api), 50))}`);
      const browser = await browserFirstLoad(server.url);
      if (browser) console.log(`  chromium, navigation to rendered counts (cache off): p50 ${fmt(percentile(browser, 50))}  max ${fmt(Math.max(...browser))}`);

      const queries = ['severity=high&source=iac', 'repo=github:acme/service-17', 'rule=K8S-001&status=open', 'q=app-12%20team-3', 'image=123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-4&severity=medium', 'status=resolved&source=iac'];
      const cursor = ((await (await fetch(`${server.url}/findings?severity=high&source=iac&limit=50`)).json()) as { cursor: string }).cursor;
      queries.push(`severity=high&source=iac&cursor=${cursor}`);
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < FINDINGS_REQUESTS; i++) {
        const t = process.hrtime.bigint();
        const res = await fetch(`${server.url}/findings?${queries[i % queries.length]}&limit=50`);
        const body = (await res.json()) as { findings: unknown[] };
        times.push(ms(t));
        if (!res.ok) throw new Error(`/findings answered ${res.status}`);
        rows += body.findings.length;
      }
      console.log(`\nGET /findings, filtered page of 50 (${queries.length} filter kinds rotating), ${FINDINGS_REQUESTS} requests, ${(rows / FINDINGS_REQUESTS).toFixed(0)} rows/page:`);
      console.log(`  p50 ${fmt(percentile(times, 50))}  p99 ${fmt(percentile(times, 99))}  max ${fmt(Math.max(...times))}`);

      const firstLoadOk = Math.max(cold.total, percentile(totals, 99)) < 1000;
      const findingsOk = percentile(times, 99) < 100;
      console.log(`\ntargets: first load < 1 s: ${firstLoadOk ? 'met' : 'MISSED'}; GET /findings p99 < 100 ms: ${findingsOk ? 'met' : 'MISSED'}`);
      if (!firstLoadOk || !findingsOk) process.exitCode = 1;
    } finally {
      server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
