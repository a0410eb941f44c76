import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditProcessor } from '../../shared/audit/processor.ts';
import { DynamoAuditState } from '../../shared/audit/state-dynamodb.ts';
import { MemoryAuditState, type AuditState } from '../../shared/audit/state.ts';
import { createFindingsTable } from '../../shared/store/dynamodb.ts';
import { useMoto } from '../support/aws.ts';
import { auditEvent, execEvent, workload } from './events.ts';

let client: DynamoDBClient;
let tables = 0;

async function freshTable(): Promise<string> {
  const name = `audit-state-${process.pid}-${++tables}`;
  await createFindingsTable(client, name);
  return name;
}

beforeAll(() => {
  useMoto();
  client = new DynamoDBClient({});
});

/** The semantics both adapters share. */
function stateContract(name: string, make: () => Promise<AuditState>) {
  describe(name, () => {
    const touch = (at: number, auditID = `id-${at}`) => ({ at, windowSeconds: 60, auditID });

    it('claims an event once', async () => {
      const s = await make();
      expect(await s.claimEvent('c', 'a1', 'ResponseComplete', 3600)).toBe(true);
      expect(await s.claimEvent('c', 'a1', 'ResponseComplete', 3600)).toBe(false);
      expect(await s.claimEvent('c', 'a1', 'stream', 3600)).toBe(true);
      expect(await s.claimEvent('other', 'a1', 'ResponseComplete', 3600)).toBe(true);
      await s.releaseEvent('c', 'a1', 'ResponseComplete');
      expect(await s.claimEvent('c', 'a1', 'ResponseComplete', 3600)).toBe(true);
    });

    it('opens, increments and re-opens groups by event time', async () => {
      const s = await make();
      expect(await s.touchOpenGroup('c', 'g', touch(1000))).toBeNull();
      expect(await s.touchGroup('c', 'g', touch(1000))).toEqual({ count: 1, firstSeen: 1000, lastSeen: 1000, windowEnd: 61_000, auditIDs: ['id-1000'], opened: true });
      expect(await s.touchOpenGroup('c', 'g', touch(30_000))).toEqual({ count: 2, firstSeen: 1000, lastSeen: 30_000, windowEnd: 61_000, auditIDs: ['id-1000', 'id-30000'], opened: false });
      expect(await s.touchGroup('c', 'g', touch(61_000))).toMatchObject({ count: 1, firstSeen: 61_000, opened: true });
      expect(await s.touchGroup('other', 'g', touch(61_500))).toMatchObject({ count: 1, opened: true });
    });

    it('keeps at most 20 audit IDs per group while counting all matches', async () => {
      const s = await make();
      for (let i = 0; i < 25; i++) await s.touchGroup('c', 'big', touch(1000 + i));
      const g = await s.touchGroup('c', 'big', touch(2000));
      expect(g.count).toBe(26);
      expect(g.auditIDs).toHaveLength(20);
    });

    it('counts events and distinct targets inside a window started by the first event', async () => {
      const s = await make();
      expect(await s.addToCounter('c', 'k', 0, 10)).toBe(1);
      expect(await s.addToCounter('c', 'k', 5000, 10)).toBe(2);
      expect(await s.addToCounter('c', 'k', 10_000, 10)).toBe(1);
      await s.resetCounter('c', 'k');
      expect(await s.addToCounter('c', 'k', 10_001, 10)).toBe(1);
      expect(await s.addToCounter('c', 'd', 0, 10, 'x')).toBe(1);
      expect(await s.addToCounter('c', 'd', 1, 10, 'x')).toBe(1);
      expect(await s.addToCounter('c', 'd', 2, 10, 'y')).toBe(2);
    });
  });
}

stateContract('MemoryAuditState', async () => new MemoryAuditState());
stateContract('DynamoAuditState', async () => new DynamoAuditState({ client, tableName: await freshTable() }));

describe('DynamoAuditState shared by two processors (two Lambda instances)', () => {
  const scanner = workload('shop', 'scanner');
  const deniedEvents = Array.from({ length: 7 }, (_, i) => auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', name: `s-${i}`, user: scanner, code: 403, time: i }));
  const denied = (i: number) => deniedEvents[i];

  it('threshold: N-1 events no finding, N events one finding, further events increment count', async () => {
    const tableName = await freshTable();
    // AUDIT-032: >= 5 denied secret reads by one actor in 10 minutes.
    const config = { audit: { thresholds: { 'AUDIT-032': { count: 5, windowSeconds: 600 } } } };
    const a = createAuditProcessor({ config, state: new DynamoAuditState({ client, tableName }) });
    const b = createAuditProcessor({ config, state: new DynamoAuditState({ client, tableName }) });
    const ids = <F extends { ruleId: string }>(r: { findings: F[] }) => r.findings.filter((f) => f.ruleId === 'AUDIT-032');

    // Four events split over both instances, the first two concurrently: no finding yet.
    const [r1, r2] = await Promise.all([a.process('prod', [denied(0)]), b.process('prod', [denied(1)])]);
    const r3 = await a.process('prod', [denied(2)]);
    const r4 = await b.process('prod', [denied(3)]);
    expect([r1, r2, r3, r4].flatMap(ids)).toEqual([]);

    const fifth = await b.process('prod', [denied(4)]);
    expect(ids(fifth)).toHaveLength(1);
    expect(fifth.opened).toEqual([ids(fifth)[0].fingerprint]);
    expect(ids(fifth)[0].audit?.count).toBe(1);

    const sixth = await a.process('prod', [denied(5), denied(6)]);
    expect(sixth.opened).toEqual([]);
    expect(ids(sixth).map((f) => [f.fingerprint, f.audit?.count])).toEqual([[ids(fifth)[0].fingerprint, 3]]);

    // A redelivery of an already counted event is a duplicate for the other instance too.
    const redelivered = await b.process('prod', [denied(5)]);
    expect(redelivered.duplicates).toBe(1);
    expect(ids(redelivered)).toEqual([]);
  });

  it('grouping: both instances update one open finding', async () => {
    const tableName = await freshTable();
    const a = createAuditProcessor({ state: new DynamoAuditState({ client, tableName }) });
    const b = createAuditProcessor({ state: new DynamoAuditState({ client, tableName }) });
    const exec = (t: number) => execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], time: t });
    const [ra, rb] = await Promise.all([a.process('prod', [exec(0)]), b.process('prod', [exec(1)])]);
    const all = [...ra.findings, ...rb.findings].filter((f) => f.ruleId === 'AUDIT-009');
    expect(new Set(all.map((f) => f.fingerprint)).size).toBe(1);
    expect(all.map((f) => f.audit?.count).sort()).toEqual([1, 2]);
    expect([...ra.opened, ...rb.opened]).toHaveLength(1);
  });

  it('stores its items under AUDIT#<cluster># keys with a TTL and no index attributes', async () => {
    const tableName = await freshTable();
    const p = createAuditProcessor({ state: new DynamoAuditState({ client, tableName }) });
    await p.process('prod', [execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'] })]);
    const { Items } = await DynamoDBDocumentClient.from(client).send(new ScanCommand({ TableName: tableName }));
    expect(Items?.length).toBe(2);
    for (const item of Items ?? []) {
      expect(item.pk).toMatch(/^AUDIT#prod#(EVENT|GROUP)#/);
      expect(typeof item.expiresAt).toBe('number');
      expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000);
      expect(Object.keys(item).some((k) => k.startsWith('gsi'))).toBe(false);
    }
  });
});
