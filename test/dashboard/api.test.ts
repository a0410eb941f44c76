// What the dashboard asks of the findings API and the stores: rule and text filters, bounded
// visits, statistics and compliance over stored findings. The store behaviour runs against the
// embedded store and against DynamoDB (moto).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleFindingsRequest, type FindingsRequest } from '../../shared/pipeline/findings-api.ts';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import type { FindingStore } from '../../shared/pipeline/ports.ts';
import type { FindingStats } from '../../shared/pipeline/stats.ts';
import { createFindingsTable, DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { finding, scanRecord, testClock } from '../store/support.ts';
import { useMoto } from '../support/aws.ts';
import { API, CLUSTER, IMAGE, seedEstate, SHOP, XSS_NAME } from './support.ts';

const NOW = '2026-11-20T12:00:00Z';
let tables = 0;

function storeBehaviour(name: string, makeStore: () => Promise<FindingStore>) {
  describe(`${name}: filters and visits for the dashboard`, () => {
    let store: FindingStore;
    beforeAll(async () => {
      store = await makeStore();
      await seedEstate(store, new Date(NOW));
    });

    it('filters by rule and by words of the title, message, file, resource or target', async () => {
      expect((await store.query({ rule: 'K8S-001' })).items.map((f) => f.resource?.name)).toEqual(['web']);
      expect((await store.query({ text: 'HOST pid' })).items.map((f) => f.ruleId)).toEqual(['K8S-002']);
      expect((await store.query({ text: 'acme/api dockerfile' })).items.map((f) => f.ruleId)).toEqual(['DOCKER-016']);
      expect((await store.query({ text: '<img src=x' })).items.map((f) => f.title)).toEqual([XSS_NAME]);
      expect((await store.query({ text: 'host nowhere' })).items).toEqual([]);
      expect((await store.query({ repo: SHOP.repo, rule: 'K8S-030', status: 'suppressed' })).items.map((f) => f.resource?.name)).toEqual(['legacy']);
    });

    it('visits every status unless asked for one, within a target, and stops at the bound', async () => {
      const statuses: Record<string, number> = {};
      expect(await store.visit({}, (f) => (statuses[f.status] = (statuses[f.status] ?? 0) + 1))).toEqual({ visited: 9, truncated: false });
      expect(statuses).toEqual({ open: 7, suppressed: 1, resolved: 1 });
      const shop: string[] = [];
      await store.visit({ repo: SHOP.repo }, (f) => shop.push(f.resource?.name ?? ''));
      expect(shop.sort()).toEqual(['cache', 'gone', 'legacy', 'web', 'worker']);
      const resolved: string[] = [];
      await store.visit({ repo: SHOP.repo, status: 'resolved' }, (f) => resolved.push(f.resource?.name ?? ''));
      expect(resolved).toEqual(['gone']);
      const audit: string[] = [];
      await store.visit({ source: 'audit', text: 'interactive' }, (f) => audit.push(f.ruleId));
      expect(audit).toEqual(['AUDIT-009']);
      let seen = 0;
      expect(await store.visit({}, () => seen++, { max: 3 })).toEqual({ visited: 3, truncated: true });
      expect(seen).toBe(3);
    });
  });
}

storeBehaviour('LocalFindingStore', () => LocalFindingStore.open({ dir: null, now: testClock(NOW).now }));

describe('LocalFindingStore listing', () => {
  it('pages through its sorted listing without gaps or repeats, also when findings change between pages', async () => {
    const clock = testClock(NOW);
    const store = await LocalFindingStore.open({ dir: null, now: clock.now });
    const severities = ['critical', 'high', 'medium', 'low'] as const;
    await store.applyScan(SHOP, Array.from({ length: 40 }, (_, i) => finding(`f${i}`, { severity: severities[i % 4] })), scanRecord('2026-11-19T00:00:00Z'));
    const first = await store.query({}, { limit: 15 });
    expect(first.items.map((f) => f.severity).slice(0, 10)).toEqual([...Array(10).fill('critical')]);
    // A change between pages: a finding already listed is suppressed, one not listed yet too.
    await store.suppress(first.items[0].fingerprint, 'alice', 'accepted', null);
    const later = (await store.query({}, { limit: 40 })).items.find((f) => !first.items.includes(f))!;
    await store.suppress(later.fingerprint, 'alice', 'accepted', null);
    const seen = first.items.map((f) => f.fingerprint);
    let cursor = first.cursor;
    while (cursor) {
      const page = await store.query({}, { limit: 15, cursor });
      seen.push(...page.items.map((f) => f.fingerprint));
      cursor = page.cursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(39); // 40, less the one suppressed before it was listed
    expect(seen).not.toContain(later.fingerprint);
    // Filters read the same listing.
    expect((await store.query({ severity: 'low', source: 'iac' }, { limit: 5 })).items.every((f) => f.severity === 'low')).toBe(true);
  });
});
storeBehaviour('DynamoFindingStore', async () => {
  useMoto();
  const client = new DynamoDBClient({});
  const tableName = `dashboard-test-${process.pid}-${++tables}`;
  await createFindingsTable(client, tableName);
  return new DynamoFindingStore({ client, tableName, now: testClock(NOW).now });
});

describe('findings API routes for the dashboard', () => {
  let store: LocalFindingStore;
  const now = () => new Date(NOW);
  const call = (req: Partial<FindingsRequest> & Pick<FindingsRequest, 'path'>) => handleFindingsRequest({ method: 'GET', ...req }, store, now);

  beforeAll(async () => {
    store = await LocalFindingStore.open({ dir: null, now });
    await seedEstate(store, now());
  });

  it('GET /findings takes rule and q filters', async () => {
    const res = await call({ path: '/findings', query: { rule: 'K8S-002', q: 'pid' } });
    expect(res.statusCode).toBe(200);
    expect((res.body as { findings: StoredFinding[] }).findings.map((f) => f.ruleId)).toEqual(['K8S-002']);
    expect((await call({ path: '/findings', query: { q: '' } })).statusCode).toBe(400);
    expect((await call({ path: '/findings', query: { q: 'x'.repeat(201) } })).statusCode).toBe(400);
  });

  it('GET /stats counts open findings by severity and source, ranks rules and targets, and draws the days', async () => {
    const res = await call({ path: '/stats', query: { days: '7' } });
    expect(res.statusCode).toBe(200);
    const stats = res.body as FindingStats;
    expect(stats.open).toEqual({
      total: 7,
      bySeverity: { critical: 2, high: 2, medium: 2, low: 1, info: 0 },
      bySource: { iac: 5, image: 1, registry: 0, audit: 1, posture: 0 },
    });
    expect(stats.byStatus).toEqual({ open: 7, suppressed: 1, resolved: 1, superseded: 0 });
    expect(stats.topRules[0]).toEqual({ ruleId: 'K8S-001', title: 'Privileged container', severity: 'critical', open: 1 });
    expect(stats.topRules).toHaveLength(7);
    expect(stats.riskiest.repo.map((t) => [t.name, t.score])).toEqual([
      [SHOP.repo, 25],
      [API.repo, 3],
    ]);
    expect(stats.riskiest.image).toEqual([{ name: IMAGE.image, score: 5, open: { critical: 0, high: 1, medium: 0, low: 0, info: 0 } }]);
    expect(stats.riskiest.cluster.map((t) => t.name)).toEqual([CLUSTER.cluster]);
    expect(stats.series.map((d) => d.day)).toEqual(['2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    const byDay = Object.fromEntries(stats.series.map((d) => [d.day, [d.opened, d.resolved]]));
    expect(byDay).toMatchObject({ '2026-11-17': [5, 0], '2026-11-18': [3, 0], '2026-11-19': [0, 1], '2026-11-20': [1, 0] });
    expect(stats.truncated).toBe(false);
  });

  it('GET /stats filters by target and source', async () => {
    const shop = (await call({ path: '/stats', query: { repo: SHOP.repo } })).body as FindingStats;
    expect(shop.open.total).toBe(3);
    expect(shop.riskiest.image).toEqual([]);
    const audit = (await call({ path: '/stats', query: { source: 'audit' } })).body as FindingStats;
    expect(audit.open.bySource).toMatchObject({ audit: 1, iac: 0 });
    expect(audit.series).toHaveLength(30);
  });

  it('GET /compliance summarises every framework, GET /compliance/{framework} lists controls with their findings', async () => {
    const summaries = (await call({ path: '/compliance' })).body as { frameworks: { id: string; summary: Record<string, number> }[]; truncated: boolean };
    expect(summaries.frameworks.map((f) => f.id)).toEqual(['cis-k8s', 'cis-eks', 'nsa-cisa', 'nist-800-190', 'pci-dss', 'hipaa', 'gdpr']);
    const cisSummary = summaries.frameworks[0].summary;

    const res = await call({ path: '/compliance/cis-k8s', query: { limit: '1' } });
    expect(res.statusCode).toBe(200);
    const report = res.body as { summary: Record<string, number>; truncated: boolean; controls: { id: string; status: string; findingCount: number; acceptedCount: number; findings: { ruleId: string; scope: unknown; lastSeen: string }[]; accepted: { suppression: { reason: string } }[]; evidenceAt: string | null }[] };
    expect(report.summary).toEqual(cisSummary);
    const control = (id: string) => report.controls.find((c) => c.id === id)!;
    expect(control('5.2.2')).toMatchObject({ status: 'fail', findingCount: 1 });
    expect(control('5.2.2').findings[0]).toMatchObject({ ruleId: 'K8S-001', scope: SHOP, lastSeen: '2026-11-19T12:00:00.000Z' });
    // 5.1.6 (K8S-030): one open and one accepted in the source; a fail keeps both lists.
    expect(control('5.1.6')).toMatchObject({ status: 'fail', findingCount: 1, acceptedCount: 1, evidenceAt: '2026-11-19T12:00:00.000Z' });
    expect(control('5.1.6').accepted[0].suppression.reason).toBe('legacy chart, rewrite planned');
    // Repository scans ran, so workload rules without findings pass.
    expect(control('5.2.8').status).toBe('pass');
    expect(report.truncated).toBe(false);
  });

  it('GET /compliance/{framework} judges only the scope asked for', async () => {
    const images = (await call({ path: '/compliance/nist-800-190', query: { scope: 'image' } })).body as { scope: string; controls: { id: string; status: string; rules: string[] }[] };
    expect(images.scope).toBe('image');
    expect(images.controls.find((c) => c.id === '4.1.1')).toMatchObject({ status: 'fail', rules: expect.arrayContaining(['IMG-080']) });
    // Only image findings count: the privileged container of the repository fails nothing here.
    expect(images.controls.find((c) => c.id === '4.3.1')?.status).toBe('not-assessed');
    for (const c of images.controls.filter((x) => x.status !== 'not-assessed')) expect(c.rules.every((r) => /^(IMG|SECRET)-/.test(r)), c.id).toBe(true);
    const cluster = (await call({ path: '/compliance/pci-dss', query: { cluster: 'no-such-cluster', scope: 'cluster' } })).body as { controls: { status: string; reason: string | null }[] };
    expect(new Set(cluster.controls.map((c) => c.status))).toEqual(new Set(['not-assessed']));
    expect(cluster.controls.find((c) => c.reason?.startsWith('nothing in scope'))?.reason).toMatch(/^nothing in scope: no findings stored from /);
  });

  it('reuses statistics and compliance answers until the store changes', async () => {
    const first = await call({ path: '/stats', query: { repo: SHOP.repo } });
    expect(await call({ path: '/stats', query: { repo: SHOP.repo } })).toBe(first);
    const compliance = await call({ path: '/compliance/cis-k8s', query: { scope: 'repo' } });
    expect(await call({ path: '/compliance/cis-k8s', query: { scope: 'repo' } })).toBe(compliance);
    const [web] = (await store.query({ rule: 'K8S-001' })).items;
    await store.suppress(web.fingerprint, 'alice', 'node agent, reviewed', null);
    const after = await call({ path: '/stats', query: { repo: SHOP.repo } });
    expect((after.body as FindingStats).open.total).toBe((first.body as FindingStats).open.total - 1);
    const control = (res: typeof compliance) => (res.body as { controls: { id: string; status: string }[] }).controls.find((c) => c.id === '5.2.2')!.status;
    expect(control(compliance)).toBe('fail');
    expect(control(await call({ path: '/compliance/cis-k8s', query: { scope: 'repo' } }))).toBe('accepted');
    await store.reopen(web.fingerprint, 'alice');
  });

  it('answers bad compliance and stats requests with the reason', async () => {
    expect(await call({ path: '/compliance/sox' })).toMatchObject({ statusCode: 404, body: { message: expect.stringContaining('no compliance framework "sox"') } });
    expect(await call({ path: '/compliance/cis-k8s', query: { scope: 'galaxy' } })).toMatchObject({ statusCode: 400, body: { message: expect.stringContaining('scope') } });
    expect(await call({ path: '/compliance/cis-k8s', query: { limit: '-1' } })).toMatchObject({ statusCode: 400 });
    expect(await call({ path: '/compliance/cis-k8s', method: 'POST' })).toMatchObject({ statusCode: 405 });
    expect(await call({ path: '/compliance/cis-k8s/extra' })).toMatchObject({ statusCode: 404 });
    expect(await call({ path: '/stats', query: { days: '0' } })).toMatchObject({ statusCode: 400, body: { message: expect.stringContaining('days') } });
    expect(await call({ path: '/stats', query: { days: '366' } })).toMatchObject({ statusCode: 400 });
    expect(await call({ path: '/stats', query: { status: 'open' } })).toMatchObject({ statusCode: 400 });
    expect(await call({ path: '/stats', method: 'DELETE' })).toMatchObject({ statusCode: 405 });
  });
});
