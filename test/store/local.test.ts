import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../shared/findings/finding.ts';
import { storedFingerprint, type FindingScope, type StoredFinding } from '../../shared/pipeline/model.ts';
import { LocalDeliveryLog, LocalFindingStore } from '../../shared/store/local.ts';
import { findingStoreContract } from './contract.ts';
import { finding, scanRecord, testClock } from './support.ts';

let root: string;
let dirs = 0;
const freshDir = () => join(root, `store-${++dirs}`);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'shipwatch-local-store-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const main: FindingScope = { repo: 'github:acme/shop', ref: 'main' };

describe('LocalFindingStore', () => {
  findingStoreContract((now) => LocalFindingStore.open({ dir: freshDir(), now }));

  it('keeps its state across instances, written atomically', async () => {
    const dir = freshDir();
    const clock = testClock('2026-01-05T00:00:00Z');
    const first = await LocalFindingStore.open({ dir, now: clock.now });
    const [a, b] = [finding('a'), finding('b', { severity: 'critical' })];
    await first.applyScan(main, [a, b], scanRecord('2026-01-01T10:00:00Z'));
    await first.applyScan(main, [a], scanRecord('2026-01-02T10:00:00Z'));
    await first.suppress(storedFingerprint(main, a.fingerprint), 'alice', 'accepted', '2026-12-31');

    expect(await readdir(dir)).toEqual(['findings.json']);
    const second = await LocalFindingStore.open({ dir, now: clock.now });
    expect(await second.get(storedFingerprint(main, a.fingerprint))).toEqual(await first.get(storedFingerprint(main, a.fingerprint)));
    expect((await second.history(storedFingerprint(main, b.fingerprint))).map((h) => h.event)).toEqual(['opened', 'resolved']);
    expect((await second.scans(main)).map((s) => s.at)).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-01T10:00:00.000Z']);
    // Indexes are rebuilt on load.
    expect((await second.query({ status: 'suppressed' })).items.map((f) => f.findingFingerprint)).toEqual([a.fingerprint]);
    expect((await second.query({ repo: main.repo, status: 'resolved' })).items.map((f) => f.findingFingerprint)).toEqual([b.fingerprint]);

    // The lifecycle goes on from the saved state.
    const back = await second.applyScan(main, [a, b], scanRecord('2026-01-03T10:00:00Z'));
    expect(back.opened.map((f) => f.findingFingerprint)).toEqual([b.fingerprint]);
    expect(back.suppressed?.map((f) => f.findingFingerprint)).toEqual([a.fingerprint]);
  });

  it('refuses a damaged snapshot instead of starting empty', async () => {
    const dir = freshDir();
    const store = await LocalFindingStore.open({ dir });
    await store.applyScan(main, [finding('a')], scanRecord('2026-01-01T10:00:00Z'));
    await writeFile(join(dir, 'findings.json'), '{"version":1,"findings":[');
    await expect(LocalFindingStore.open({ dir })).rejects.toThrow(/not a valid snapshot/);
  });

  it('tells a listener about every write with the old and new image, after saving', async () => {
    const dir = freshDir();
    const seen: [string | null, string][] = [];
    let savedWhenTold = false;
    const store = await LocalFindingStore.open({
      dir,
      onChange: async (oldImage, newImage) => {
        seen.push([oldImage?.status ?? null, newImage.status]);
        savedWhenTold = (await readFile(join(dir, 'findings.json'), 'utf8')).includes(newImage.fingerprint);
      },
    });
    const [a, b] = [finding('a'), finding('b')];
    await store.applyScan(main, [a, b], scanRecord('2026-01-01T10:00:00Z'));
    await store.applyScan(main, [a], scanRecord('2026-01-02T10:00:00Z'));
    await store.reopen(storedFingerprint(main, b.fingerprint), 'carol');
    expect(seen).toEqual([
      [null, 'open'],
      [null, 'open'],
      ['open', 'open'],
      ['open', 'resolved'],
      ['resolved', 'open'],
    ]);
    expect(savedWhenTold).toBe(true);
  });

  it('coalesces concurrent saves and leaves no temporary files', async () => {
    const dir = freshDir();
    const store = await LocalFindingStore.open({ dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.upsert({ cluster: 'c' }, [finding(`e${i}`, { source: 'audit' })])));
    expect(await readdir(dir)).toEqual(['findings.json']);
    const reloaded = await LocalFindingStore.open({ dir });
    expect((await reloaded.query({ cluster: 'c' })).items).toHaveLength(20);
  });

  it('stays fast with 50,000 findings', async () => {
    // In memory: saving is measured by the other tests, this one is about indexes and paging.
    const store = await LocalFindingStore.open({ dir: null });
    const scopes: FindingScope[] = Array.from({ length: 5 }, (_, i) => ({ repo: `github:acme/repo-${i}`, ref: 'main' }));
    const started = Date.now();
    for (const [n, scope] of scopes.entries()) {
      const findings = Array.from({ length: 10_000 }, (_, i) => finding(`${n}-${i}`, { severity: SEVERITIES[i % 5], source: i % 2 ? 'iac' : 'image' }));
      await store.applyScan(scope, findings, scanRecord(`2026-01-01T${String(n).padStart(2, '0')}:00:00Z`));
    }
    const loaded = Date.now() - started;

    const queryStart = Date.now();
    const page = await store.query({ severity: 'critical', source: 'image' }, { limit: 100 });
    const repoPage = await store.query({ repo: 'github:acme/repo-3' }, { limit: 500 });
    let cursor: string | undefined;
    const walked: StoredFinding[] = [];
    for (let i = 0; i < 20; i++) {
      const next = await store.query({}, { cursor, limit: 500 });
      walked.push(...next.items);
      cursor = next.cursor;
    }
    const queried = Date.now() - queryStart;

    expect(page.items).toHaveLength(100);
    expect(page.items.every((f) => f.severity === 'critical' && f.source === 'image')).toBe(true);
    expect(repoPage.items).toHaveLength(500);
    expect(new Set(walked.map((f) => f.fingerprint)).size).toBe(10_000);
    expect(walked[0].severity).toBe('critical');
    // Generous bounds for a shared CI machine; the point is no quadratic work.
    expect(loaded).toBeLessThan(20_000);
    expect(queried).toBeLessThan(5_000);
  });
});

describe('LocalDeliveryLog', () => {
  it('de-duplicates deliveries until forgotten or expired, across restarts', async () => {
    const dir = freshDir();
    const clock = testClock('2026-01-01T00:00:00Z');
    const log = await LocalDeliveryLog.open({ dir, now: clock.now });
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(true);
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(false);
    await log.forget('github:d-1');
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(true);

    const restarted = await LocalDeliveryLog.open({ dir, now: clock.now });
    expect(await restarted.firstDelivery('github:d-1', 3600)).toBe(false);
    clock.set('2026-01-01T01:00:01Z');
    expect(await restarted.firstDelivery('github:d-1', 3600)).toBe(true);
  });

  it('works in memory only', async () => {
    const log = await LocalDeliveryLog.open({ dir: null });
    expect(await log.firstDelivery('x', 60)).toBe(true);
    expect(await log.firstDelivery('x', 60)).toBe(false);
  });
});
