import { beforeEach, describe, expect, it } from 'vitest';
import { handleFindingsRequest, type FindingsRequest } from '../../shared/pipeline/findings-api.ts';
import { storedFingerprint, type FindingScope, type HistoryEntry, type StoredFinding } from '../../shared/pipeline/model.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { finding, scanRecord, testClock } from '../store/support.ts';

const main: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
const image: FindingScope = { image: 'registry.example/shop' };
const clock = testClock('2026-01-10T12:00:00Z');
let store: LocalFindingStore;
let fpA: string;
let fpB: string;

const call = (req: Partial<FindingsRequest> & Pick<FindingsRequest, 'method' | 'path'>) => handleFindingsRequest(req, store, clock.now);
const bodyOf = <T>(res: { body: unknown }) => res.body as T;

beforeEach(async () => {
  clock.set('2026-01-10T12:00:00Z');
  store = await LocalFindingStore.open({ dir: null, now: clock.now });
  const [a, b] = [finding('a', { severity: 'critical' }), finding('b')];
  await store.applyScan(main, [a, b], scanRecord('2026-01-10T10:00:00Z'));
  await store.applyScan(image, Array.from({ length: 7 }, (_, i) => finding(`img-${i}`, { source: 'image', severity: 'medium' })), scanRecord('2026-01-10T11:00:00Z'));
  fpA = storedFingerprint(main, a.fingerprint);
  fpB = storedFingerprint(main, b.fingerprint);
});

describe('GET /findings', () => {
  it('lists open findings, most severe first', async () => {
    const res = await call({ method: 'GET', path: '/findings' });
    expect(res.statusCode).toBe(200);
    const body = bodyOf<{ findings: StoredFinding[]; cursor: string | null }>(res);
    expect(body.findings).toHaveLength(9);
    expect(body.findings[0].fingerprint).toBe(fpA);
    expect(body.cursor).toBeNull();
  });

  it('filters and pages with a cursor', async () => {
    const first = bodyOf<{ findings: StoredFinding[]; cursor: string }>(await call({ method: 'GET', path: '/findings', query: { image: image.image, source: 'image', limit: '5' } }));
    expect(first.findings).toHaveLength(5);
    const second = bodyOf<{ findings: StoredFinding[]; cursor: string | null }>(
      await call({ method: 'GET', path: '/findings/', query: { image: image.image, source: 'image', limit: '5', cursor: first.cursor } }),
    );
    expect(second.findings).toHaveLength(2);
    expect(second.cursor).toBeNull();

    const critical = bodyOf<{ findings: StoredFinding[] }>(await call({ method: 'GET', path: '/findings', query: { repo: main.repo, severity: 'critical' } }));
    expect(critical.findings.map((f) => f.fingerprint)).toEqual([fpA]);
    const resolved = bodyOf<{ findings: StoredFinding[] }>(await call({ method: 'GET', path: '/findings', query: { status: 'resolved' } }));
    expect(resolved.findings).toEqual([]);
    const audit = bodyOf<{ findings: StoredFinding[] }>(await call({ method: 'GET', path: '/findings', query: { cluster: 'prod', source: 'audit' } }));
    expect(audit.findings).toEqual([]);
  });

  it('answers 400 with the reason for bad input', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ severity: 'urgent' }, /severity/],
      [{ status: 'closed' }, /status/],
      [{ source: 'cloud' }, /source/],
      [{ limit: '0' }, /limit/],
      [{ limit: '501' }, /limit/],
      [{ limit: 'ten' }, /limit/],
      [{ repo: '' }, /repo/],
      [{ colour: 'red' }, /colour/],
      [{ cursor: 'bm90IGEgY3Vyc29y' }, /cursor/],
    ];
    for (const [query, reason] of cases) {
      const res = await call({ method: 'GET', path: '/findings', query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(bodyOf<{ message: string }>(res).message).toMatch(reason);
    }
  });
});

describe('GET /findings/{fingerprint}', () => {
  it('returns the finding with its history', async () => {
    const res = await call({ method: 'GET', path: `/findings/${fpA}` });
    expect(res.statusCode).toBe(200);
    const body = bodyOf<{ finding: StoredFinding; history: HistoryEntry[] }>(res);
    expect(body.finding.fingerprint).toBe(fpA);
    expect(body.history).toEqual([{ at: '2026-01-10T10:00:00.000Z', event: 'opened' }]);
  });

  it('answers 404 for unknown fingerprints and routes, 405 for wrong methods', async () => {
    expect((await call({ method: 'GET', path: `/findings/${'0'.repeat(64)}` })).statusCode).toBe(404);
    expect((await call({ method: 'GET', path: '/findings/not-a-fingerprint' })).statusCode).toBe(404);
    expect((await call({ method: 'GET', path: '/findings/%E0%A4%A' })).statusCode).toBe(404);
    expect((await call({ method: 'GET', path: '/nothing' })).statusCode).toBe(404);
    expect((await call({ method: 'GET', path: `/findings/${fpA}/history/x` })).statusCode).toBe(404);
    expect((await call({ method: 'POST', path: `/findings/${fpA}/delete`, principal: 'alice' })).statusCode).toBe(404);
    expect((await call({ method: 'DELETE', path: `/findings/${fpA}` })).statusCode).toBe(405);
    expect((await call({ method: 'POST', path: '/findings' })).statusCode).toBe(405);
    expect((await call({ method: 'GET', path: `/findings/${fpA}/suppress` })).statusCode).toBe(405);
  });
});

describe('POST /findings/{fingerprint}/suppress and /reopen', () => {
  it('suppresses with who, why and until, and reopens with history', async () => {
    const suppressed = await call({
      method: 'POST',
      path: `/findings/${fpA}/suppress`,
      body: JSON.stringify({ reason: 'only in the sandbox cluster', expires: '2026-03-31' }),
      principal: 'arn:aws:iam::123456789012:user/alice',
    });
    expect(suppressed.statusCode).toBe(200);
    expect(bodyOf<{ finding: StoredFinding }>(suppressed).finding).toMatchObject({
      status: 'suppressed',
      suppressedBy: 'arn:aws:iam::123456789012:user/alice',
      suppressedReason: 'only in the sandbox cluster',
      suppressedUntil: '2026-03-31',
    });
    const listed = bodyOf<{ findings: StoredFinding[] }>(await call({ method: 'GET', path: '/findings', query: { status: 'suppressed' } }));
    expect(listed.findings.map((f) => f.fingerprint)).toEqual([fpA]);

    clock.set('2026-01-11T08:00:00Z');
    const reopened = await call({ method: 'POST', path: `/findings/${fpA}/reopen`, body: { reason: 'sandbox is gone' }, principal: 'bob' });
    expect(reopened.statusCode).toBe(200);
    const body = bodyOf<{ finding: StoredFinding; history: HistoryEntry[] }>(reopened);
    expect(body.finding.status).toBe('open');
    expect(body.history).toEqual([
      { at: '2026-01-10T10:00:00.000Z', event: 'opened' },
      { at: '2026-01-10T12:00:00.000Z', event: 'suppressed', by: 'arn:aws:iam::123456789012:user/alice', reason: 'only in the sandbox cluster' },
      { at: '2026-01-11T08:00:00.000Z', event: 'unsuppressed', by: 'bob', reason: 'sandbox is gone' },
    ]);

    expect((await call({ method: 'POST', path: `/findings/${fpA}/reopen`, principal: 'bob' })).statusCode).toBe(409);
  });

  it('reopens a resolved finding with an empty body, and normalises a date-time expiry', async () => {
    await store.applyScan(main, [finding('a', { severity: 'critical' })], scanRecord('2026-01-10T11:30:00Z'));
    const res = await call({ method: 'POST', path: `/findings/${fpB}/reopen`, body: '', principal: 'bob' });
    expect(res.statusCode).toBe(200);
    expect(bodyOf<{ history: HistoryEntry[] }>(res).history.map((h) => h.event)).toEqual(['opened', 'resolved', 'reopened']);

    const timed = await call({ method: 'POST', path: `/findings/${fpB}/suppress`, body: { reason: 'freeze', expires: '2026-01-12T09:00:00+01:00' }, principal: 'alice' });
    expect(bodyOf<{ finding: StoredFinding }>(timed).finding.suppressedUntil).toBe('2026-01-12T08:00:00.000Z');
  });

  it('validates the body and the caller', async () => {
    const post = (body: unknown, principal: string | null = 'alice') => call({ method: 'POST', path: `/findings/${fpA}/suppress`, body, principal });
    const cases: [unknown, RegExp][] = [
      [{}, /reason/],
      [{ reason: '   ' }, /reason/],
      [{ reason: 'x', expires: 'next week' }, /expires/],
      [{ reason: 'x', expires: '2026-01-09' }, /expires: must be in the future/],
      [{ reason: 'x', expires: '2026-01-10T11:00:00Z' }, /expires: must be in the future/],
      [{ reason: 'x', who: 'mallory' }, /who/],
      ['{not json', /not valid JSON/],
      [[1, 2], /expected object/],
    ];
    for (const [body, reason] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(bodyOf<{ message: string }>(res).message).toMatch(reason);
    }
    expect((await post({ reason: 'x', expires: '2026-01-10' })).statusCode).toBe(200);
    expect((await post({ reason: 'x' }, null)).statusCode).toBe(401);
    expect((await post({ reason: 'x' }, '  ')).statusCode).toBe(401);
    expect((await call({ method: 'POST', path: `/findings/${fpA}/reopen`, body: { reason: 1 }, principal: 'bob' })).statusCode).toBe(400);
    expect((await call({ method: 'POST', path: `/findings/${'f'.repeat(64)}/suppress`, body: { reason: 'x' }, principal: 'bob' })).statusCode).toBe(404);
    expect((await call({ method: 'POST', path: `/findings/${'f'.repeat(64)}/reopen`, principal: 'bob' })).statusCode).toBe(404);
  });
});
