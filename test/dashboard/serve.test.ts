// How `shipwatch serve` hands out the dashboard and guards the API it calls.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { ensureDashboardBuild } from '../../shared/server/dashboard.ts';
import { startServer, type RunningServer } from '../../shared/server/serve.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { seedEstate } from './support.ts';

let dataDir: string;
let server: RunningServer;

/** A raw request, so the Host header can be anything (fetch would not send a forged one). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shipwatch-serve-dashboard-'));
  const store = await LocalFindingStore.open({ dir: dataDir });
  await seedEstate(store);
  await store.flush();
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, env: { SHIPWATCH_USER: 'dana@example.com' }, log: () => {} });
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard files on serve', () => {
  it('serves the page, hashed assets for a year, and the settings, each with the security headers', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    // Nothing from another origin: no CDN, no web fonts.
    expect(page.body).not.toMatch(/https?:\/\//);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)![1];
    const asset = await raw(`/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const config = await raw('/config.json');
    expect(JSON.parse(config.body)).toEqual({ apiBase: '', auth: null, user: 'dana@example.com' });
    expect(config.headers['cache-control']).toBe('no-store');
    expect((await raw('/', { method: 'HEAD' })).body).toBe('');
  });

  it('answers only for its own files', async () => {
    expect((await raw('/assets/missing.js')).status).toBe(404);
    expect((await raw('/assets/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await raw('/assets/../package.json')).status).toBe(404);
    expect((await raw('/build-info.json')).status).toBe(404);
    expect((await raw('/', { method: 'POST' })).status).toBe(405);
  });
});

describe('API guards on serve', () => {
  it('records changes as the configured user, and takes them only as JSON', async () => {
    const list = JSON.parse((await raw('/findings?rule=K8S-002')).body) as { findings: StoredFinding[] };
    const fp = list.findings[0].fingerprint;
    // What a cross-site form or no-cors fetch can send: refused before it reaches the store.
    const form = await raw(`/findings/${fp}/suppress`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"reason":"csrf"}' });
    expect(form.status).toBe(415);
    const json = await raw(`/findings/${fp}/suppress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"reason":"host agent"}' });
    expect(json.status).toBe(200);
    expect((JSON.parse(json.body) as { finding: StoredFinding }).finding.suppressedBy).toBe('dana@example.com');
  });

  it('answers API and dashboard requests only for a loopback host name (no DNS rebinding)', async () => {
    for (const path of ['/findings', '/stats', '/compliance/cis-k8s', '/']) {
      expect((await raw(path, { headers: { host: 'attacker.example:8080' } })).status, path).toBe(path === '/' ? 404 : 421);
      expect((await raw(path, { headers: { host: `localhost:${new URL(server.url).port}` } })).status, path).toBe(200);
    }
    expect((await raw('/healthz', { headers: { host: 'attacker.example' } })).status).toBe(200);
  });
});

describe('dashboard build on demand', () => {
  it('builds once when sources are newer than the build, also when asked twice at once, and not again', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shipwatch-dashboard-build-'));
    try {
      const repo = join(import.meta.dirname, '..', '..');
      cpSync(join(repo, 'dashboard'), join(root, 'dashboard'), { recursive: true });
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shipwatch', type: 'module' }));
      symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
      const [a, b] = await Promise.all([ensureDashboardBuild(root), ensureDashboardBuild(root)]);
      expect(a).toBe(join(root, 'dist', 'dashboard'));
      expect(b).toBe(a);
      const index = readFileSync(join(a, 'index.html'), 'utf8');
      expect(index).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
      expect(readdirSync(join(root, 'dist')).sort()).toEqual(['dashboard']);
      const built = statSync(join(a, 'index.html')).mtimeMs;
      await ensureDashboardBuild(root);
      expect(statSync(join(a, 'index.html')).mtimeMs).toBe(built);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
