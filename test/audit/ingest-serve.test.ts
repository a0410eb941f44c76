// The audit webhook backend end to end through `shipwatch serve`: an API server's EventList in,
// findings out through GET /findings?source=audit; authentication, size cap, bad bodies, queued
// large batches and the baseline routes.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../shared/server/serve.ts';
import { auditEvent, execEvent, HUMAN, workload } from './events.ts';

const TOKEN = 'c2hpcHdhdGNoLXRlc3QtdG9rZW4tZm9yLXByb2Q';
let server: RunningServer;
let dataDir: string;
const lines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'shipwatch-audit-serve-'));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, env: { SHIPWATCH_AUDIT_TOKENS: `prod-eu=${TOKEN},staging=another-token` }, log: (l) => lines.push(l) });
});

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const eventList = (items: unknown[], apiVersion = 'audit.k8s.io/v1') => JSON.stringify({ kind: 'EventList', apiVersion, metadata: {}, items });

async function post(cluster: string, body: string, token: string | null = TOKEN) {
  const res = await fetch(`${server.url}/audit/${cluster}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function auditFindings(): Promise<{ ruleId: string; severity: string; audit: { cluster: string; count: number } }[]> {
  const res = await fetch(`${server.url}/findings?source=audit&cluster=prod-eu&limit=100`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { findings: never[] }).findings;
}

describe('POST /audit/{cluster} through shipwatch serve', () => {
  it('evaluates an EventList and stores its findings (GET /findings?source=audit)', async () => {
    // Items inside an EventList carry no kind/apiVersion of their own, as the API server sends them.
    const strip = (e: Record<string, unknown>) => {
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = e;
      return rest;
    };
    const out = await post('prod-eu', eventList([strip(execEvent({ namespace: 'shop', pod: 'api-1', command: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'] })), strip(auditEvent({ verb: 'list', resource: 'secrets' }))]));
    expect(out).toMatchObject({ status: 200, body: { message: 'batch processed', events: 2, rejected: 0, opened: 2 } });
    const findings = await auditFindings();
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['AUDIT-010', 'AUDIT-029']);
    expect(findings.every((f) => f.audit.cluster === 'prod-eu')).toBe(true);
    expect(lines.some((l) => l.startsWith('would post to Slack:'))).toBe(true);
  });

  it('accepts v1beta1 lists and groups a redelivered batch instead of alerting twice', async () => {
    const e = auditEvent({ verb: 'create', resource: 'daemonsets', apiGroup: 'apps', namespace: 'kube-system', name: 'miner', user: HUMAN });
    const first = await post('prod-eu', eventList([{ ...e, apiVersion: 'audit.k8s.io/v1beta1' }], 'audit.k8s.io/v1beta1'));
    expect(first.body).toMatchObject({ opened: 1 });
    const again = await post('prod-eu', eventList([{ ...e, apiVersion: 'audit.k8s.io/v1beta1' }], 'audit.k8s.io/v1beta1'));
    expect(again.body).toMatchObject({ duplicates: 1, opened: 0 });
    expect((await auditFindings()).filter((f) => f.ruleId === 'AUDIT-038')).toHaveLength(1);
  });

  it('processes the good items of a list with a malformed one, counting the bad one', async () => {
    const good = auditEvent({ verb: 'delete', resource: 'events', namespace: 'shop', name: 'x' });
    const out = await post('prod-eu', eventList([good, 'not an event', { kind: 'Pod', apiVersion: 'v1' }, null, auditEvent({ verb: 'get', resource: 'pods' })]));
    expect(out).toMatchObject({ status: 200, body: { events: 5, rejected: 3, opened: 1 } });
    expect((out.body.errors as { index: number }[]).map((e) => e.index)).toEqual([1, 2, 3]);
    expect((await auditFindings()).map((f) => f.ruleId)).toContain('AUDIT-041');
  });

  it('accepts an empty list and an event with every optional field missing', async () => {
    expect(await post('prod-eu', JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {} }))).toMatchObject({ status: 200, body: { events: 0 } });
    expect(await post('prod-eu', eventList([{ auditID: 'bare' }]))).toMatchObject({ status: 200, body: { events: 1, rejected: 0 } });
  });

  it('refuses a non-JSON body or a non-EventList with 400 and a reason', async () => {
    expect(await post('prod-eu', 'level=Metadata verb=get')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/not valid JSON/) } });
    expect(await post('prod-eu', '{"kind":"EventList","items":')).toMatchObject({ status: 400 });
    expect(await post('prod-eu', JSON.stringify({ kind: 'PodList', items: [] }))).toMatchObject({ status: 400, body: { message: expect.stringContaining('EventList') } });
    expect(await post('prod-eu', JSON.stringify({ kind: 'EventList', items: {} }))).toMatchObject({ status: 400, body: { message: expect.stringContaining('items') } });
  });

  it('401 for a missing or wrong token (also another cluster\'s), 404 for an unknown cluster; nothing is processed', async () => {
    const before = (await auditFindings()).length;
    const body = eventList([auditEvent({ verb: 'list', resource: 'secrets', namespace: 'kube-system' })]);
    expect((await post('prod-eu', body, null)).status).toBe(401);
    expect((await post('prod-eu', body, 'wrong')).status).toBe(401);
    expect((await post('prod-eu', body, 'another-token')).status).toBe(401);
    expect((await post('dev', body)).status).toBe(404);
    const basic = await fetch(`${server.url}/audit/prod-eu`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, body });
    expect(basic.status).toBe(401);
    expect((await auditFindings()).length).toBe(before);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('refuses a 50 MB body with 413 without reading it all (declared length, and chunked)', async () => {
    for (const chunked of [false, true]) {
      const outcome = await sendLarge(`${server.url}/audit/prod-eu`, 50 * 1024 * 1024, chunked);
      expect(outcome.status).toBe(413);
      // The answer came while the sender was still sending: most of the 50 MB never went out.
      expect(outcome.sentBytes).toBeLessThan(30 * 1024 * 1024);
    }
    // The server is still serving.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('queues a batch above 500 events and evaluates it after answering', async () => {
    const sa = workload('batch', 'crawler');
    const items = Array.from({ length: 600 }, (_, i) => auditEvent({ verb: 'get', resource: 'secrets', namespace: 'batch', name: `s-${i}`, user: sa, code: 403, time: i * 0.1 }));
    const out = await post('prod-eu', eventList(items));
    expect(out).toMatchObject({ status: 202, body: { message: 'batch queued', events: 600, queuedMessages: expect.any(Number) } });
    expect(out.body.queuedMessages as number).toBeGreaterThanOrEqual(2);
    await server.idle();
    const burst = (await auditFindings()).filter((f) => f.ruleId === 'AUDIT-031' || f.ruleId === 'AUDIT-032');
    expect(burst.map((f) => f.ruleId).sort()).toEqual(['AUDIT-031', 'AUDIT-032']);
  });

  it('serves the learned baseline of a service account and resets it', async () => {
    const sa = workload('shop', 'cart');
    await post('prod-eu', eventList([auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'cfg', user: sa })]));
    const shown = await fetch(`${server.url}/baselines/prod-eu/shop:cart`);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ baseline: { identity: sa.username, tuples: [{ verb: 'get', resource: 'configmaps', scope: 'own' }] } });
    const reset = await fetch(`${server.url}/baselines/prod-eu/shop:cart`, { method: 'DELETE' });
    expect(await reset.json()).toMatchObject({ baseline: { tuples: [], learning: true } });
    expect((await fetch(`${server.url}/baselines/prod-eu/shop:unknown`)).status).toBe(404);
  });
});

/** Streams `size` bytes of JSON-ish filler, stopping as soon as the response arrives. */
function sendLarge(url: string, size: number, chunked: boolean): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(size) }) } });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sentBytes: sent });
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.write('{"kind":"EventList","items":[');
    pump();
  });
}
