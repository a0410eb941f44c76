// npm run bench:pipeline: the git-webhook path's latency in process, a 50-manifest PR scan end to end
// against local stand-ins, and each function's bundle size and cold-start import time.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { build } from 'esbuild';
import { sign } from '@octokit/webhooks-methods';
import { handleGitWebhook } from '../shared/pipeline/git-webhook.ts';
import type { ScanJob } from '../shared/pipeline/model.ts';
import { LocalDeliveryLog } from '../shared/store/local.ts';
import { startServer } from '../shared/server/serve.ts';
import { startGitHubStandIn } from '../test/support/github-server.ts';

const root = join(import.meta.dirname, '..');
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function webhookLatency(deliveries: number) {
  const secret = 'bench-secret';
  const queued: ScanJob[] = [];
  const deps = { secrets: async () => ({ github: secret }), deliveries: await LocalDeliveryLog.open({ dir: null }), queue: { send: async (job: ScanJob) => void queued.push(job) } };
  const body = (i: number) =>
    JSON.stringify({
      action: 'synchronize',
      number: i,
      pull_request: { number: i, head: { sha: i.toString(16).padStart(40, 'a'), ref: 'feature' }, base: { ref: 'main' }, html_url: `https://github.com/acme/shop/pull/${i}` },
      repository: { full_name: 'acme/shop', default_branch: 'main', html_url: 'https://github.com/acme/shop' },
    });
  const requests = await Promise.all(Array.from({ length: deliveries }, async (_, i) => {
    const b = body(i);
    return { provider: 'github' as const, body: b, headers: { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(secret, b) } };
  }));
  const times: number[] = [];
  for (const req of requests) {
    const t = process.hrtime.bigint();
    const res = await handleGitWebhook(req, deps);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.statusCode !== 202) throw new Error(`unexpected ${res.statusCode}`);
  }
  if (queued.length !== deliveries) throw new Error('not every delivery was queued');
  return { deliveries, p50Ms: +percentile(times, 50).toFixed(3), p99Ms: +percentile(times, 99).toFixed(3) };
}

async function prScan(files: number) {
  const sha = 'c'.repeat(40);
  const manifests: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    manifests[`k8s/app-${i}.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 5}\nspec:\n  template:\n    metadata:\n      labels: {app: app-${i}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app-${i}:1.0.${i}\n          securityContext:\n            privileged: ${i % 10 === 0}\n            allowPrivilegeEscalation: false\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: team-${i % 5}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n`;
  }
  const github = await startGitHubStandIn({ repos: { 'acme/shop': { commits: { [sha]: manifests }, pulls: { 1: { files: Object.keys(manifests).map((filename) => ({ filename, status: 'added' })) } } } } });
  const secret = 'bench-secret';
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: mkdtempSync(join(tmpdir(), 'sw-bench-')), env: { ...github.env(), SHIPWATCH_GITHUB_WEBHOOK_SECRET: secret }, scmTuning: { paceWrites: false }, log: () => {} });
  const body = JSON.stringify({ action: 'opened', number: 1, pull_request: { number: 1, head: { sha, ref: 'f' }, base: { ref: 'main' }, html_url: 'https://github.com/acme/shop/pull/1' }, repository: { full_name: 'acme/shop', default_branch: 'main' } });
  const t = process.hrtime.bigint();
  const res = await fetch(`${server.url}/webhooks/github`, { method: 'POST', headers: { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(secret, body) }, body });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  await server.idle();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const commented = github.commentsOf('acme/shop', 1).length === 1;
  await server.close();
  await github.stop();
  if (!commented) throw new Error('no PR comment was posted');
  return { changedManifests: files, webhookToCommentMs: Math.round(ms) };
}

async function bundles() {
  const out = mkdtempSync(join(tmpdir(), 'sw-bundles-'));
  const results: Record<string, { bundleKb: number; coldImportMs: number }> = {};
  for (const name of readdirSync(join(root, 'functions')).sort()) {
    const entry = join(root, 'functions', name, 'handler.ts');
    const outfile = join(out, `${name}.mjs`);
    // The same settings as the CDK NodejsFunction (infra/constructs/shipwatch-function.ts).
    await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, mainFields: ['module', 'main'], banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" }, logLevel: 'error' });
    writeFileSync(join(out, `${name}-import.mjs`), `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`);
    const env = { ...process.env, SHIPWATCH_TABLE_NAME: 't', SHIPWATCH_SCAN_QUEUE_URL: 'http://127.0.0.1:1/q', AWS_REGION: 'us-east-1', POWERTOOLS_METRICS_DISABLED: 'true' };
    const runs = Array.from({ length: 5 }, () => Number(spawnSync(process.execPath, [join(out, `${name}-import.mjs`)], { env, encoding: 'utf8' }).stdout.trim()));
    results[name] = { bundleKb: Math.round(statSync(outfile).size / 1024), coldImportMs: Math.round(percentile(runs, 50)) };
  }
  return results;
}

const report = {
  webhook: await webhookLatency(1000),
  prScan: await prScan(50),
  functions: await bundles(),
  targets: 'webhook p99 < 50 ms; PR scan of 50 files < 2 s; each bundle < 1 MB and cold import < 300 ms',
};
console.log(JSON.stringify(report, null, 2));
