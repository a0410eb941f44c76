// Learned baselines: the tuple of a request, learning then alerting through the processor, the
// bounded store (memory and DynamoDB against moto, one contract), and the /baselines routes.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleBaselineRequest } from '../../shared/audit/baseline/api.ts';
import { BaselineLearner } from '../../shared/audit/baseline/learner.ts';
import { MemoryBaselineStore, type BaselineStore } from '../../shared/audit/baseline/store.ts';
import { DynamoBaselineStore } from '../../shared/audit/baseline/store-dynamodb.ts';
import { baselineSubject, decodeTuple, encodeTuple } from '../../shared/audit/baseline/subject.ts';
import { AuditEvent } from '../../shared/audit/event.ts';
import { createAuditProcessor } from '../../shared/audit/processor.ts';
import { resolveAuditSettings } from '../../shared/audit/settings.ts';
import { MemoryAuditState } from '../../shared/audit/state.ts';
import type { ShipwatchConfig } from '../../shared/config/config.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import { createFindingsTable } from '../../shared/store/dynamodb.ts';
import { useMoto } from '../support/aws.ts';
import { auditEvent, HUMAN, RS_CONTROLLER, workload } from './events.ts';

const DAY = 24 * 3600;
const API = workload('shop', 'api');
const settings = resolveAuditSettings({ platformNamespaces: ['kube-system', 'monitoring'] });
const ev = (raw: Record<string, unknown>) => new AuditEvent(raw, 'audit.k8s.io/v1');

function baselineProcessor(audit: NonNullable<ShipwatchConfig['audit']> = {}, store: BaselineStore = new MemoryBaselineStore()) {
  return { store, processor: createAuditProcessor({ config: { audit }, state: new MemoryAuditState(), baselines: new BaselineLearner(store) }) };
}
const baselineFindings = (r: { findings: Finding[] }) => r.findings.filter((f) => f.ruleId.startsWith('AUDIT-BASELINE'));

describe('baseline tuples', () => {
  it('service accounts: verb, resource, subresource and a namespace scope (own, platform namespace, other, cluster)', () => {
    const scope = (namespace: string | undefined) => baselineSubject(ev(auditEvent({ verb: 'get', resource: 'configmaps', namespace, user: API })), settings)?.tuple.scope;
    expect(scope('shop')).toBe('own');
    expect(scope('kube-system')).toBe('namespace:kube-system');
    expect(scope('payments')).toBe('other');
    expect(scope(undefined)).toBe('cluster');
    const exec = baselineSubject(ev(auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'x', user: API, code: 101 })), settings)!;
    expect(exec).toMatchObject({ identity: API.username, kind: 'service-account', key: 'create|pods|exec|own' });
    expect(decodeTuple(encodeTuple(exec.tuple))).toEqual(exec.tuple);
  });

  it('humans only in platform namespaces; control plane, anonymous, failed and non-resource requests never', () => {
    expect(baselineSubject(ev(auditEvent({ verb: 'delete', resource: 'pods', namespace: 'monitoring', name: 'x' })), settings)).toMatchObject({ kind: 'human', key: 'delete|pods||namespace:monitoring' });
    const none = [
      auditEvent({ verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x' }),
      auditEvent({ verb: 'list', resource: 'pods', namespace: 'kube-system', user: RS_CONTROLLER }),
      auditEvent({ verb: 'list', resource: 'pods', namespace: 'kube-system', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', user: API, code: 403 }),
      { ...auditEvent({ verb: 'get', resource: 'x', user: API }), objectRef: undefined, requestURI: '/healthz' },
    ];
    for (const raw of none) expect(baselineSubject(ev(raw), settings)).toBeNull();
  });
});

describe('learning, then alerting (processor with a memory store)', () => {
  it('a service account learns for 7 days from its first event; afterwards only new tuples raise AUDIT-BASELINE-001 (MEDIUM)', async () => {
    const { processor, store } = baselineProcessor();
    const learning = [
      auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: API, time: 0 }),
      auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', user: API, time: 3 * DAY }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'payments', name: 'stripe', user: API, time: 7 * DAY - 60 }),
    ];
    const during = await processor.process('prod', learning);
    expect(baselineFindings(during)).toEqual([]);
    expect(during.metrics.baseline_learned).toBe(3);

    const after = await processor.process('prod', [
      auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', user: API, time: 8 * DAY }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'other-team', name: 'token', user: API, time: 8 * DAY }),
      auditEvent({ verb: 'list', resource: 'secrets', user: API, time: 8 * DAY + 10 }),
    ]);
    const found = baselineFindings(after);
    expect(found.map((f) => f.ruleId)).toEqual(['AUDIT-BASELINE-001']);
    expect(found[0]).toMatchObject({ severity: 'medium', audit: { evidence: { baseline: { identity: API.username, tuple: { verb: 'list', resource: 'secrets', subresource: '', scope: 'cluster' } } } } });
    // get secrets in another application namespace was learned (scope "other") and stays quiet.
    expect((await store.get('prod', API.username))?.tuples).toEqual(['get|configmaps||own', 'get|secrets||other', 'list|pods||own']);

    const again = baselineFindings(await processor.process('prod', [auditEvent({ verb: 'list', resource: 'secrets', user: API, time: 8 * DAY + 600 })]));
    expect(again).toHaveLength(1);
    expect(again[0].fingerprint).toBe(found[0].fingerprint);
    expect(again[0].audit?.count).toBe(2);
  });

  it('known tuples are answered from memory; a reset is seen once the cached copy expires', async () => {
    const store = new MemoryBaselineStore();
    let now = 0;
    const learner = new BaselineLearner(store, () => now);
    const processor = createAuditProcessor({ config: {}, state: new MemoryAuditState(), baselines: learner });
    await processor.process('prod', [auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: API, time: 0 })]);
    expect(learner.known('prod', API.username, 'get|configmaps||own')).toBe(true);
    expect(learner.known('prod', API.username, 'list|secrets||cluster')).toBe(false);
    expect(learner.known('staging', API.username, 'get|configmaps||own')).toBe(false);

    // Reset through the store (the findings API) with a learning window already over.
    await store.reset('prod', API.username, { firstSeen: '1970-01-01T00:00:00.000Z', learningUntil: '1970-01-01T00:00:00.001Z' });
    const later = auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: API, time: 8 * DAY });
    expect(baselineFindings(await processor.process('prod', [later]))).toEqual([]);
    now += 61_000;
    learner.beginBatch();
    expect(learner.known('prod', API.username, 'get|configmaps||own')).toBe(false);
    expect(baselineFindings(await processor.process('prod', [{ ...later, auditID: 'again' }])).map((f) => f.ruleId)).toEqual(['AUDIT-BASELINE-001']);
  });

  it('two instances: an alert is decided on the stored set, not on an instance\'s older copy', async () => {
    const store = new MemoryBaselineStore();
    const instance = () => createAuditProcessor({ config: {}, state: new MemoryAuditState(), baselines: new BaselineLearner(store) });
    const a = instance();
    const b = instance();
    await b.process('prod', [auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: API, time: 0 })]);
    await a.process('prod', [auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', user: API, time: DAY })]);
    // b's copy predates what a learned; the store knows it.
    expect(baselineFindings(await b.process('prod', [auditEvent({ verb: 'list', resource: 'pods', namespace: 'shop', user: API, time: 8 * DAY })]))).toEqual([]);
    expect(baselineFindings(await b.process('prod', [auditEvent({ verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x', user: API, time: 8 * DAY })])).map((f) => f.ruleId)).toEqual(['AUDIT-BASELINE-001']);
  });

  it('a service account first seen later learns from its own first event', async () => {
    const { processor } = baselineProcessor();
    await processor.process('prod', [auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', user: API, time: 0 })]);
    const late = workload('shop', 'worker');
    const first = await processor.process('prod', [auditEvent({ verb: 'delete', resource: 'jobs', namespace: 'shop', user: late, time: 30 * DAY })]);
    expect(baselineFindings(first)).toEqual([]);
  });

  it('humans learn from the cluster\'s first event and are only watched in platform namespaces (AUDIT-BASELINE-002, LOW)', async () => {
    const { processor } = baselineProcessor();
    await processor.process('prod', [auditEvent({ verb: 'get', resource: 'pods', namespace: 'kube-system', time: 0 }), auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', user: API, time: 0 })]);
    const after = await processor.process('prod', [
      auditEvent({ verb: 'get', resource: 'pods', namespace: 'kube-system', time: 10 * DAY }),
      auditEvent({ verb: 'patch', resource: 'daemonsets', namespace: 'kube-system', name: 'aws-node', time: 10 * DAY }),
      auditEvent({ verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x', time: 10 * DAY }),
    ]);
    expect(baselineFindings(after).map((f) => [f.ruleId, f.severity])).toEqual([['AUDIT-BASELINE-002', 'low']]);
    // A person first seen after the cluster's learning period is new behaviour right away.
    const newcomer = { username: 'eve@example.com', groups: ['system:authenticated'] };
    expect(baselineFindings(await processor.process('prod', [auditEvent({ verb: 'get', resource: 'pods', namespace: 'kube-system', user: newcomer, time: 11 * DAY })]))).toHaveLength(1);
  });

  it('audit.baseline.learningDays sets the learning period', async () => {
    const { processor } = baselineProcessor({ baseline: { learningDays: 1 } });
    await processor.process('prod', [auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', user: API, time: 0 })]);
    expect(baselineFindings(await processor.process('prod', [auditEvent({ verb: 'delete', resource: 'pods', namespace: 'shop', name: 'x', user: API, time: DAY + 1 })]))).toHaveLength(1);
  });

  it('keeps at most maxTuples per identity: the rest is not learned (and alerts later), the baseline says it is saturated', async () => {
    const { processor, store } = baselineProcessor({ baseline: { maxTuples: 2 } });
    const verbs = ['get', 'list', 'watch', 'create'];
    const learning = await processor.process('prod', verbs.map((verb, i) => auditEvent({ verb, resource: 'configmaps', namespace: 'shop', user: API, time: i })));
    expect(learning.metrics.baseline_saturated).toBe(1);
    const stored = (await store.get('prod', API.username))!;
    expect(stored.tuples).toHaveLength(2);
    expect(stored.saturated).toBe(true);
    const after = await processor.process('prod', verbs.map((verb) => auditEvent({ verb, resource: 'configmaps', namespace: 'shop', user: API, time: 8 * DAY })));
    expect(baselineFindings(after)).toHaveLength(2);
  });

  it('does not run without a baseline store, and can be disabled', async () => {
    const plain = createAuditProcessor({ config: {}, state: new MemoryAuditState() });
    expect(plain.detections.map((d) => d.id)).not.toContain('AUDIT-BASELINE-001');
    const { processor } = baselineProcessor({ disable: ['AUDIT-BASELINE-001', 'AUDIT-BASELINE-002'] });
    expect(processor.detections.map((d) => d.id)).not.toContain('AUDIT-BASELINE-001');
  });
});

const storeContract = (name: string, make: () => Promise<BaselineStore>, makeSecond: (first: BaselineStore) => BaselineStore) => {
  describe(`${name} baseline store`, () => {
    const start = { kind: 'service-account' as const, firstSeen: '2025-03-01T00:00:00.000Z', learningUntil: '2025-03-08T00:00:00.000Z' };

    it('starts a baseline once (the first writer wins) and returns it', async () => {
      const store = await make();
      const cluster = `c-${randomUUID()}`;
      const first = await store.getOrStart(cluster, API.username, start);
      const second = await store.getOrStart(cluster, API.username, { ...start, firstSeen: '2025-04-01T00:00:00.000Z' });
      expect(second.firstSeen).toBe(first.firstSeen);
      expect(await store.get(cluster, 'system:serviceaccount:shop:other')).toBeNull();
    });

    it('learns idempotently and never past maxTuples, also when another writer filled the set meanwhile', async () => {
      const store = await make();
      const other = makeSecond(store);
      const cluster = `c-${randomUUID()}`;
      await store.getOrStart(cluster, API.username, start);
      await store.learn(cluster, API.username, ['a', 'b'], 5);
      expect((await store.learn(cluster, API.username, ['a', 'b'], 5)).tuples).toEqual(['a', 'b']);
      // The second writer's unread attempt fails its size condition and re-reads. (Issued one after
      // the other: moto_server runs concurrent requests on one item without DynamoDB's isolation.)
      await store.learn(cluster, API.username, ['c', 'd', 'e'], 5);
      expect((await other.learn(cluster, API.username, ['f', 'g', 'h'], 5)).saturated).toBe(true);
      const after = (await store.get(cluster, API.username))!;
      expect(after.tuples).toHaveLength(5);
      expect(after.saturated).toBe(true);
      expect(after.tuples.slice(0, 2)).toEqual(['a', 'b']);
    });

    it('resets to an empty set with a new learning window; unknown identities are null', async () => {
      const store = await make();
      const cluster = `c-${randomUUID()}`;
      await store.getOrStart(cluster, API.username, start);
      await store.learn(cluster, API.username, ['a', 'b', 'c'], 2);
      const reset = (await store.reset(cluster, API.username, { firstSeen: '2025-05-01T00:00:00.000Z', learningUntil: '2025-05-08T00:00:00.000Z' }))!;
      expect(reset).toMatchObject({ tuples: [], saturated: false, learningUntil: '2025-05-08T00:00:00.000Z' });
      expect((await store.learn(cluster, API.username, ['z'], 2)).tuples).toEqual(['z']);
      expect(await store.reset(cluster, 'nobody', { firstSeen: '', learningUntil: '' })).toBeNull();
    });

    it('keeps one cluster learning window', async () => {
      const store = await make();
      const cluster = `c-${randomUUID()}`;
      const first = await store.clusterStart(cluster, { firstSeen: 'a', learningUntil: 'b' });
      expect(await store.clusterStart(cluster, { firstSeen: 'x', learningUntil: 'y' })).toEqual(first);
    });
  });
};

storeContract('memory', async () => new MemoryBaselineStore(), (first) => first);

let tableName = '';
storeContract(
  'DynamoDB',
  async () => {
    if (!tableName) {
      useMoto();
      tableName = `baselines-${randomUUID()}`;
      await createFindingsTable(new DynamoDBClient({}), tableName);
    }
    return new DynamoBaselineStore({ tableName });
  },
  () => new DynamoBaselineStore({ tableName }),
);

describe('/baselines routes', () => {
  const options = { learningMs: 7 * DAY * 1000, maxTuples: 512, now: () => new Date('2025-06-01T00:00:00Z') };
  let store: MemoryBaselineStore;

  beforeAll(async () => {
    store = new MemoryBaselineStore();
    await store.getOrStart('prod', API.username, { kind: 'service-account', firstSeen: '2025-03-01T00:00:00.000Z', learningUntil: '2025-03-08T00:00:00.000Z' });
    await store.learn('prod', API.username, ['get|configmaps||own', 'list|pods||own'], 512);
  });

  it('GET shows the learned tuples by <namespace>:<name> or the full username', async () => {
    for (const sa of ['shop:api', encodeURIComponent(API.username)]) {
      const out = await handleBaselineRequest({ method: 'GET', path: `/baselines/prod/${sa}` }, store, options);
      expect(out.statusCode).toBe(200);
      expect(out.body).toMatchObject({ baseline: { identity: API.username, kind: 'service-account', learning: false, saturated: false, tupleCount: 2, tuples: [{ verb: 'get', resource: 'configmaps', subresource: '', scope: 'own' }, { verb: 'list', resource: 'pods', subresource: '', scope: 'own' }] } });
    }
  });

  it('DELETE resets and learns again from now; it needs a caller', async () => {
    expect((await handleBaselineRequest({ method: 'DELETE', path: '/baselines/prod/shop:api' }, store, options)).statusCode).toBe(401);
    const out = await handleBaselineRequest({ method: 'DELETE', path: '/baselines/prod/shop:api', principal: 'arn:aws:iam::123456789012:user/dana' }, store, options);
    expect(out).toMatchObject({ statusCode: 200, body: { baseline: { tuples: [], learning: true, learningUntil: '2025-06-08T00:00:00.000Z' }, resetBy: 'arn:aws:iam::123456789012:user/dana' } });
  });

  it('answers 404 for unknown identities and paths, 405 for other methods', async () => {
    expect((await handleBaselineRequest({ method: 'GET', path: '/baselines/prod/shop:nobody' }, store, options)).statusCode).toBe(404);
    expect((await handleBaselineRequest({ method: 'DELETE', path: '/baselines/prod/shop:nobody', principal: 'x' }, store, options)).statusCode).toBe(404);
    expect((await handleBaselineRequest({ method: 'GET', path: '/baselines/prod' }, store, options)).statusCode).toBe(404);
    expect((await handleBaselineRequest({ method: 'GET', path: '/baselines/prod/%E0%A4%A' }, store, options)).statusCode).toBe(404);
    expect((await handleBaselineRequest({ method: 'POST', path: '/baselines/prod/shop:api' }, store, options)).statusCode).toBe(405);
  });
});

describe('HUMAN fixture', () => {
  it('is an external identity (the human baseline relies on it)', () => {
    expect(settings.identities.classify({ username: HUMAN.username, groups: HUMAN.groups, uid: null, extra: {} })).toBe('external');
  });
});
