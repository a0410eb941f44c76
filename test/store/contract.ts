// The behaviour every FindingStore adapter shares; dynamodb.test.ts and local.test.ts run it.
import { expect, it } from 'vitest';
import { SEVERITIES, type Finding } from '../../shared/findings/finding.ts';
import { storedFingerprint, type FindingScope, type StoredFinding } from '../../shared/pipeline/model.ts';
import type { FindingStore } from '../../shared/pipeline/ports.ts';
import { compareListing, InvalidCursorError } from '../../shared/store/paging.ts';
import { annotated, finding, scanRecord, testClock } from './support.ts';

export type StoreFactory = (clock: () => Date) => Promise<FindingStore>;

const main: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
const pr: FindingScope = { repo: 'github:acme/shop', ref: 'pr/7' };

const fps = (list: StoredFinding[]) => list.map((f) => f.findingFingerprint).sort();
const events = async (store: FindingStore, f: Finding, scope = main) => (await store.history(storedFingerprint(scope, f.fingerprint))).map((h) => h.event);

async function readAll(store: FindingStore, filter: Parameters<FindingStore['query']>[0], limit: number): Promise<{ items: StoredFinding[]; pages: number }> {
  const items: StoredFinding[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.query(filter, { cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.cursor;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

export function findingStoreContract(makeStore: StoreFactory): void {
  it('opens new findings, keeps a repeated scan unchanged, resolves what disappears and reopens what comes back', async () => {
    const store = await makeStore(testClock('2026-01-01T00:00:00Z').now);
    const a = finding('a');
    const b = finding('b', { severity: 'critical' });

    const first = await store.applyScan(main, [a, b], scanRecord('2026-01-01T10:00:00Z'), { url: (f) => `https://example.test/${f.resource?.name}` });
    expect(fps(first.opened)).toEqual([a.fingerprint, b.fingerprint].sort());
    expect(first.resolved).toEqual([]);
    const storedA = await store.get(storedFingerprint(main, a.fingerprint));
    expect(storedA).toMatchObject({
      status: 'open',
      scope: main,
      scopeKey: 'repo:github:acme/shop@main',
      findingFingerprint: a.fingerprint,
      firstSeen: '2026-01-01T10:00:00.000Z',
      lastSeen: '2026-01-01T10:00:00.000Z',
      resolvedAt: null,
      url: 'https://example.test/a',
      ruleId: 'K8S-001',
    });
    expect(storedA).not.toHaveProperty('pk');
    expect(storedA).not.toHaveProperty('version');

    // Redelivered job: same scan again.
    const again = await store.applyScan(main, [a, b], scanRecord('2026-01-01T10:00:00Z'));
    expect(again.opened).toEqual([]);
    expect(again.unchanged).toHaveLength(2);
    expect((await store.query({ repo: main.repo })).items).toHaveLength(2);
    expect(await events(store, a)).toEqual(['opened']);

    // Next push: the message and line moved, b was fixed.
    const moved = { ...a, message: 'moved', severity: 'medium' as const, location: { file: 'deploy/web.yaml', line: 40 } };
    const second = await store.applyScan(main, [moved], scanRecord('2026-01-02T10:00:00Z'));
    expect(fps(second.unchanged)).toEqual([a.fingerprint]);
    expect(fps(second.resolved)).toEqual([b.fingerprint]);
    expect(await store.get(storedFingerprint(main, a.fingerprint))).toMatchObject({
      message: 'moved',
      severity: 'medium',
      location: { line: 40 },
      firstSeen: '2026-01-01T10:00:00.000Z',
      lastSeen: '2026-01-02T10:00:00.000Z',
      url: 'https://example.test/a',
    });
    expect(await store.get(storedFingerprint(main, b.fingerprint))).toMatchObject({ status: 'resolved', resolvedAt: '2026-01-02T10:00:00.000Z' });
    expect(fps((await store.query({ repo: main.repo, status: 'resolved' })).items)).toEqual([b.fingerprint]);
    expect(fps((await store.query({ repo: main.repo })).items)).toEqual([a.fingerprint]);

    // b is back.
    const third = await store.applyScan(main, [moved, b], scanRecord('2026-01-03T10:00:00Z'));
    expect(fps(third.opened)).toEqual([b.fingerprint]);
    expect(await store.get(storedFingerprint(main, b.fingerprint))).toMatchObject({ status: 'open', resolvedAt: null, firstSeen: '2026-01-01T10:00:00.000Z' });
    expect(await events(store, b)).toEqual(['opened', 'resolved', 'reopened']);

    const scans = await store.scans(main);
    expect(scans.map((s) => [s.at, s.findings, s.newFindings, s.resolvedFindings])).toEqual([
      ['2026-01-03T10:00:00.000Z', 2, 1, 0],
      ['2026-01-02T10:00:00.000Z', 1, 0, 1],
      ['2026-01-01T10:00:00.000Z', 2, 0, 0],
    ]);
    expect(scans[0]).toMatchObject({ scopeKey: 'repo:github:acme/shop@main', commit: 'c0ffee', trigger: 'test' });
  });

  it('keeps scopes apart: a pull request scan neither resolves nor opens the branch findings', async () => {
    const store = await makeStore(testClock('2026-01-01T00:00:00Z').now);
    const a = finding('a');
    const b = finding('b');
    await store.applyScan(main, [a, b], scanRecord('2026-01-01T10:00:00Z'));
    const onPr = await store.applyScan(pr, [b], scanRecord('2026-01-01T11:00:00Z'));
    expect(fps(onPr.opened)).toEqual([b.fingerprint]);
    expect(onPr.resolved).toEqual([]);
    expect(await store.get(storedFingerprint(main, a.fingerprint))).toMatchObject({ status: 'open' });
    expect(storedFingerprint(pr, b.fingerprint)).not.toBe(storedFingerprint(main, b.fingerprint));

    expect(await store.openByFindingFingerprint(main, [a.fingerprint, b.fingerprint, finding('x').fingerprint])).toEqual(new Set([a.fingerprint, b.fingerprint]));
    await store.applyScan(main, [b], scanRecord('2026-01-02T10:00:00Z'));
    expect(await store.openByFindingFingerprint(main, [a.fingerprint, b.fingerprint])).toEqual(new Set([b.fingerprint]));
    expect((await store.query({ repo: main.repo })).items.map((f) => f.scopeKey).sort()).toEqual(['repo:github:acme/shop@main', 'repo:github:acme/shop@pr/7']);
  });

  it('keeps a suppressed finding suppressed across scans until its suppression expires', async () => {
    const clock = testClock('2026-01-01T12:00:00Z');
    const store = await makeStore(clock.now);
    const a = finding('a');
    await store.applyScan(main, [a], scanRecord('2026-01-01T10:00:00Z'));
    const fp = storedFingerprint(main, a.fingerprint);

    const suppressed = await store.suppress(fp, 'alice@example.com', 'false positive: init only', '2026-02-01T00:00:00.000Z');
    expect(suppressed).toMatchObject({
      status: 'suppressed',
      suppressed: true,
      suppressedBy: 'alice@example.com',
      suppressedReason: 'false positive: init only',
      suppressedUntil: '2026-02-01T00:00:00.000Z',
      suppression: { source: 'api', reason: 'false positive: init only', expires: '2026-02-01T00:00:00.000Z' },
    });
    expect(await store.suppress(storedFingerprint(main, finding('nope').fingerprint), 'alice', 'x', null)).toBeNull();

    const present = await store.applyScan(main, [a], scanRecord('2026-01-10T10:00:00Z'));
    expect(fps(present.suppressed ?? [])).toEqual([a.fingerprint]);
    expect(present.opened).toEqual([]);
    const absent = await store.applyScan(main, [], scanRecord('2026-01-11T10:00:00Z'));
    expect(absent.resolved).toEqual([]);
    expect(await store.get(fp)).toMatchObject({ status: 'suppressed', lastSeen: '2026-01-10T10:00:00.000Z' });
    expect(fps((await store.query({ status: 'suppressed', repo: main.repo })).items)).toEqual([a.fingerprint]);
    expect((await store.query({ repo: main.repo })).items).toEqual([]);

    const expired = await store.applyScan(main, [a], scanRecord('2026-02-02T10:00:00Z'));
    expect(fps(expired.opened)).toEqual([a.fingerprint]);
    expect(await store.get(fp)).toMatchObject({ status: 'open', suppressed: false, suppressedBy: null, suppressedUntil: null, suppression: null });
    const history = await store.history(fp);
    expect(history.map((h) => h.event)).toEqual(['opened', 'suppressed', 'unsuppressed']);
    expect(history[1]).toEqual({ at: '2026-01-01T12:00:00.000Z', event: 'suppressed', by: 'alice@example.com', reason: 'false positive: init only' });
  });

  it('reopens through the API and follows suppressions made in the source', async () => {
    const clock = testClock('2026-01-01T12:00:00Z');
    const store = await makeStore(clock.now);
    const a = finding('a');
    await store.applyScan(main, [annotated(a, 'sidecar needs it')], scanRecord('2026-01-01T10:00:00Z'));
    const fp = storedFingerprint(main, a.fingerprint);
    expect(await store.get(fp)).toMatchObject({ status: 'suppressed', suppressedBy: 'annotation', suppressedReason: 'sidecar needs it' });

    // The annotation was removed: open again.
    const removed = await store.applyScan(main, [a], scanRecord('2026-01-02T10:00:00Z'));
    expect(fps(removed.opened)).toEqual([a.fingerprint]);

    clock.set('2026-01-02T12:00:00Z');
    await store.suppress(fp, 'bob', 'accepted', null);
    clock.set('2026-01-03T12:00:00Z');
    const reopened = await store.reopen(fp, 'carol', 'not accepted after all');
    expect(reopened).toMatchObject({ status: 'open', suppressedBy: null });
    expect(await store.reopen(fp, 'carol')).toMatchObject({ status: 'open' });
    expect(await store.reopen(storedFingerprint(main, finding('nope').fingerprint), 'carol')).toBeNull();
    const history = await store.history(fp);
    expect(history.map((h) => h.event)).toEqual(['suppressed', 'unsuppressed', 'suppressed', 'unsuppressed']);
    expect(history[3]).toEqual({ at: '2026-01-03T12:00:00.000Z', event: 'unsuppressed', by: 'carol', reason: 'not accepted after all' });
  });

  it('ignores a scan older than what it already knows, and upsert never resolves', async () => {
    const store = await makeStore(testClock('2026-03-01T00:00:00Z').now);
    const a = finding('a');
    const b = finding('b');
    await store.applyScan(main, [a], scanRecord('2026-01-02T10:00:00Z'));
    await store.applyScan(main, [b], scanRecord('2026-01-03T10:00:00Z'));
    // A late redelivery of an older scan still listing a, without b.
    const late = await store.applyScan(main, [a], scanRecord('2026-01-01T10:00:00Z'));
    expect(late.opened).toEqual([]);
    expect(late.resolved).toEqual([]);
    expect(await store.get(storedFingerprint(main, a.fingerprint))).toMatchObject({ status: 'resolved' });
    expect(await store.get(storedFingerprint(main, b.fingerprint))).toMatchObject({ status: 'open' });

    const cluster: FindingScope = { cluster: 'prod-eu' };
    const audit1 = finding('exec', { source: 'audit', ruleId: 'AUDIT-009' });
    const audit2 = finding('bind', { source: 'audit', ruleId: 'AUDIT-012' });
    expect(fps((await store.upsert(cluster, [audit1])).opened)).toEqual([audit1.fingerprint]);
    const more = await store.upsert(cluster, [audit2]);
    expect(more.resolved).toEqual([]);
    expect((await store.query({ cluster: 'prod-eu' })).items).toHaveLength(2);
    expect((await store.get(storedFingerprint(cluster, audit1.fingerprint)))?.lastSeen).toBe('2026-03-01T00:00:00.000Z');
  });

  it('filters and pages through ~120 findings in severity then newest order', async () => {
    const store = await makeStore(testClock('2026-01-01T00:00:00Z').now);
    const imageScope: FindingScope = { image: 'registry.example/shop' };
    const repoFindings = Array.from({ length: 100 }, (_, i) =>
      finding(`r${i}`, { severity: SEVERITIES[i % 5], source: i % 4 === 0 ? 'registry' : 'iac' }),
    );
    const imageFindings = Array.from({ length: 20 }, (_, i) => finding(`i${i}`, { severity: SEVERITIES[i % 3], source: 'image' }));
    // Two scans at different times so lastSeen differs inside each severity.
    await store.applyScan(main, repoFindings.slice(0, 50), scanRecord('2026-01-01T10:00:00Z'));
    await store.upsert(main, repoFindings.slice(50));
    await store.applyScan(imageScope, imageFindings, scanRecord('2026-01-01T11:00:00Z'));

    const everything = await readAll(store, {}, 25);
    expect(everything.items).toHaveLength(120);
    expect(everything.pages).toBeGreaterThanOrEqual(5);
    expect(new Set(everything.items.map((f) => f.fingerprint)).size).toBe(120);
    const sorted = [...everything.items].sort(compareListing);
    expect(everything.items.map((f) => f.fingerprint)).toEqual(sorted.map((f) => f.fingerprint));
    expect(everything.items[0].severity).toBe('critical');
    expect(everything.items[119].severity).toBe('info');

    const firstPage = await store.query({}, {});
    expect(firstPage.items).toHaveLength(50);
    const lastPage = await store.query({}, { cursor: (await store.query({}, { cursor: firstPage.cursor })).cursor });
    expect(lastPage.items).toHaveLength(20);
    expect(lastPage.cursor).toBeUndefined();

    const repoHigh = await readAll(store, { repo: main.repo, severity: 'high' }, 7);
    expect(repoHigh.items).toHaveLength(20);
    expect(repoHigh.items.every((f) => f.severity === 'high' && f.scope.repo === main.repo)).toBe(true);

    const registry = await readAll(store, { source: 'registry' }, 10);
    expect(fps(registry.items)).toEqual(repoFindings.filter((_, i) => i % 4 === 0).map((f) => f.fingerprint).sort());
    const registryInRepo = await readAll(store, { repo: main.repo, source: 'registry', severity: 'critical' }, 3);
    expect(registryInRepo.items).toHaveLength(5);

    const image = await readAll(store, { image: imageScope.image, source: 'image' }, 8);
    expect(image.items).toHaveLength(20);
    expect((await store.query({ image: imageScope.image, repo: main.repo })).items).toEqual([]);
    expect((await store.query({ cluster: 'nowhere' })).items).toEqual([]);
    expect((await store.query({ status: 'resolved' })).items).toEqual([]);
    expect((await store.query({}, { limit: 10_000 })).items).toHaveLength(120);
  });

  it('refuses cursors it did not hand out for that query', async () => {
    const store = await makeStore(testClock('2026-01-01T00:00:00Z').now);
    await store.applyScan(main, [finding('a'), finding('b'), finding('c')], scanRecord('2026-01-01T10:00:00Z'));
    const page = await store.query({ repo: main.repo }, { limit: 1 });
    expect(page.cursor).toBeDefined();
    await expect(store.query({ repo: main.repo }, { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.query({ repo: main.repo }, { cursor: Buffer.from('[1,2]').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    const next = await store.query({ repo: main.repo }, { cursor: page.cursor, limit: 5 });
    expect(next.items).toHaveLength(2);
  });
}
