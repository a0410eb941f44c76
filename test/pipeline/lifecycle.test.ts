import { describe, expect, it } from 'vitest';
import {
  observeFinding,
  reopenFinding,
  resolveFinding,
  scopeTarget,
  suppressFinding,
  suppressionExpired,
  uniqueFindings,
} from '../../shared/pipeline/lifecycle.ts';
import { storedFingerprint, type FindingScope, type StoredFinding } from '../../shared/pipeline/model.ts';
import { annotated, finding } from '../store/support.ts';

const scope: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
const T1 = '2026-01-01T10:00:00.000Z';
const T2 = '2026-01-02T10:00:00.000Z';
const T3 = '2026-01-03T10:00:00.000Z';
const a = finding('a');

const opened = (): StoredFinding => observeFinding(null, a, scope, T1, 'https://example.test/a').next;

describe('observeFinding', () => {
  it('opens a new finding with its scope and identity', () => {
    const t = observeFinding(null, a, scope, T1, 'https://example.test/a');
    expect(t).toMatchObject({ outcome: 'opened', write: true, event: { at: T1, event: 'opened' } });
    expect(t.event).toEqual({ at: T1, event: 'opened' });
    expect(t.next).toMatchObject({
      fingerprint: storedFingerprint(scope, a.fingerprint),
      findingFingerprint: a.fingerprint,
      scope,
      scopeKey: 'repo:github:acme/shop@main',
      status: 'open',
      firstSeen: T1,
      lastSeen: T1,
      resolvedAt: null,
      suppressed: false,
      suppression: null,
      suppressedBy: null,
      suppressedReason: null,
      suppressedUntil: null,
      url: 'https://example.test/a',
      message: a.message,
    });
  });

  it('stores only the scope keys that are set', () => {
    const t = observeFinding(null, a, { image: 'registry.example/shop', repo: undefined }, T1);
    expect(Object.keys(t.next.scope)).toEqual(['image']);
    expect(t.next.url).toBeNull();
  });

  it('stores a finding the source suppresses as suppressed from the start', () => {
    const t = observeFinding(null, annotated(a, 'needs host network'), scope, T1);
    expect(t.outcome).toBe('suppressed');
    expect(t.event).toEqual({ at: T1, event: 'suppressed', by: 'annotation', reason: 'needs host network' });
    expect(t.next).toMatchObject({ status: 'suppressed', suppressed: true, suppressedBy: 'annotation', suppressedReason: 'needs host network', suppressedUntil: null });
  });

  it('refreshes lastSeen, message, severity and line of an open finding without an event', () => {
    const moved = { ...a, message: 'new wording', severity: 'critical' as const, location: { file: 'deploy/web.yaml', line: 99 } };
    const t = observeFinding(opened(), moved, scope, T2);
    expect(t).toMatchObject({ outcome: 'unchanged', event: null, write: true });
    expect(t.next).toMatchObject({ status: 'open', firstSeen: T1, lastSeen: T2, message: 'new wording', severity: 'critical', location: { line: 99 }, url: 'https://example.test/a' });
  });

  it('reopens a resolved finding', () => {
    const resolved = resolveFinding(opened(), T2)!.next;
    const t = observeFinding(resolved, a, scope, T3);
    expect(t).toMatchObject({ outcome: 'opened', event: { at: T3, event: 'reopened' } });
    expect(t.next).toMatchObject({ status: 'open', resolvedAt: null, firstSeen: T1, lastSeen: T3 });
  });

  it('keeps a finding suppressed through the API until the suppression passes, then opens it (unsuppressed)', () => {
    const suppressed = suppressFinding(opened(), 'alice', 'accepted', '2026-01-02T12:00:00.000Z', T1).next;
    const before = observeFinding(suppressed, a, scope, T2);
    expect(before).toMatchObject({ outcome: 'suppressed', event: null });
    expect(before.next).toMatchObject({ status: 'suppressed', suppressedBy: 'alice', lastSeen: T2 });

    const after = observeFinding(before.next, a, scope, T3);
    expect(after).toMatchObject({ outcome: 'opened', event: { at: T3, event: 'unsuppressed', reason: 'suppression expired' } });
    expect(after.next).toMatchObject({ status: 'open', suppressed: false, suppression: null, suppressedBy: null, suppressedReason: null, suppressedUntil: null });
  });

  it('keeps an API suppression even when the source stops or starts suppressing', () => {
    const suppressed = suppressFinding(opened(), 'alice', 'accepted', null, T1).next;
    expect(observeFinding(suppressed, annotated(a), scope, T2).next).toMatchObject({ suppressedBy: 'alice', suppression: { source: 'api' } });
    expect(observeFinding(suppressed, a, scope, T2).next).toMatchObject({ status: 'suppressed', suppressedBy: 'alice' });
  });

  it('hands an expired API suppression over to a suppression in the source', () => {
    const suppressed = suppressFinding(opened(), 'alice', 'accepted', '2026-01-01', T1).next;
    const t = observeFinding(suppressed, annotated(a, 'documented exception'), scope, T2);
    expect(t).toMatchObject({ outcome: 'suppressed', event: { event: 'suppressed', by: 'annotation', reason: 'documented exception' } });
    expect(t.next.suppression).toEqual({ source: 'annotation', reason: 'documented exception', expires: null });
  });

  it('follows suppressions made in the source both ways', () => {
    const suppressedNow = observeFinding(opened(), annotated(a), scope, T2);
    expect(suppressedNow).toMatchObject({ outcome: 'suppressed', event: { event: 'suppressed', by: 'annotation' } });
    const still = observeFinding(suppressedNow.next, annotated(a, 'reworded'), scope, T3);
    expect(still).toMatchObject({ outcome: 'suppressed', event: null });
    expect(still.next.suppressedReason).toBe('reworded');
    const lifted = observeFinding(suppressedNow.next, a, scope, T3);
    expect(lifted).toMatchObject({ outcome: 'opened', event: { event: 'unsuppressed', reason: 'suppression removed from the source' } });

    const config = { ...a, suppressed: true, suppression: { source: 'config' as const, reason: 'legacy chart', expires: '2027-03-31' } };
    expect(observeFinding(null, config, scope, T1).next).toMatchObject({ suppressedBy: 'config', suppressedUntil: '2027-03-31' });
  });

  it('suppresses a resolved finding that comes back suppressed in the source', () => {
    const resolved = resolveFinding(opened(), T2)!.next;
    const t = observeFinding(resolved, annotated(a), scope, T3);
    expect(t.next).toMatchObject({ status: 'suppressed', resolvedAt: null });
  });

  it('changes nothing for a scan older than what is known', () => {
    const open = observeFinding(opened(), a, scope, T3).next;
    expect(observeFinding(open, { ...a, message: 'old' }, scope, T2)).toMatchObject({ write: false, event: null, outcome: 'unchanged', next: open });
    const resolved = resolveFinding(open, '2026-01-04T00:00:00.000Z')!.next;
    expect(observeFinding(resolved, a, scope, T3)).toMatchObject({ write: false, event: null, next: resolved });
  });
});

describe('resolveFinding', () => {
  it('resolves an open finding a later complete scan did not produce', () => {
    const t = resolveFinding(opened(), T2);
    expect(t).toMatchObject({ outcome: 'resolved', event: { at: T2, event: 'resolved' } });
    expect(t!.next).toMatchObject({ status: 'resolved', resolvedAt: T2, lastSeen: T1 });
  });

  it('leaves alone what is not open or was seen by this (or a newer) scan', () => {
    expect(resolveFinding(opened(), T1)).toBeNull();
    expect(resolveFinding(suppressFinding(opened(), 'alice', 'x', null, T1).next, T2)).toBeNull();
    expect(resolveFinding(resolveFinding(opened(), T2)!.next, T3)).toBeNull();
  });
});

describe('suppress and reopen', () => {
  it('records who, why and until', () => {
    const t = suppressFinding(resolveFinding(opened(), T2)!.next, 'alice@example.com', 'risk accepted', '2026-06-30', T3);
    expect(t.event).toEqual({ at: T3, event: 'suppressed', by: 'alice@example.com', reason: 'risk accepted' });
    expect(t.next).toMatchObject({
      status: 'suppressed',
      suppressed: true,
      resolvedAt: null,
      suppressedBy: 'alice@example.com',
      suppressedReason: 'risk accepted',
      suppressedUntil: '2026-06-30',
      suppression: { source: 'api', reason: 'risk accepted', expires: '2026-06-30' },
    });
  });

  it('reopens a suppressed (unsuppressed) or resolved (reopened) finding, and not an open one', () => {
    const suppressed = suppressFinding(opened(), 'alice', 'x', null, T1).next;
    const lifted = reopenFinding(suppressed, 'bob', 'not acceptable', T2);
    expect(lifted?.event).toEqual({ at: T2, event: 'unsuppressed', by: 'bob', reason: 'not acceptable' });
    expect(lifted?.next).toMatchObject({ status: 'open', suppressedBy: null, suppression: null });

    const reopened = reopenFinding(resolveFinding(opened(), T2)!.next, 'bob', undefined, T3);
    expect(reopened?.event).toEqual({ at: T3, event: 'reopened', by: 'bob' });
    expect(reopened?.next).toMatchObject({ status: 'open', resolvedAt: null });
    expect(reopenFinding(opened(), 'bob', undefined, T2)).toBeNull();
  });
});

describe('helpers', () => {
  it('lets a bare date suppress through the end of that day', () => {
    expect(suppressionExpired(null, T3)).toBe(false);
    expect(suppressionExpired('2026-01-03', '2026-01-03T23:59:59.000Z')).toBe(false);
    expect(suppressionExpired('2026-01-03', '2026-01-04T00:00:00.000Z')).toBe(true);
    expect(suppressionExpired('2026-01-03T10:00:00.000Z', '2026-01-03T09:59:59.000Z')).toBe(false);
    expect(suppressionExpired('2026-01-03T10:00:00.000Z', '2026-01-03T10:00:00.000Z')).toBe(true);
    expect(suppressionExpired('2026-01-03T12:00:00+02:00', '2026-01-03T10:30:00.000Z')).toBe(true);
  });

  it('keeps one finding per engine fingerprint and names the scope target', () => {
    expect(uniqueFindings([a, { ...a, message: 'last' }, finding('b')]).map((f) => f.message)).toEqual(['last', finding('b').message]);
    expect(scopeTarget({ repo: 'gitlab:g/p', ref: 'mr/3' })).toEqual({ kind: 'repo', name: 'gitlab:g/p' });
    expect(scopeTarget({ image: 'r/i' })).toEqual({ kind: 'image', name: 'r/i' });
    expect(scopeTarget({ cluster: 'prod' })).toEqual({ kind: 'cluster', name: 'prod' });
    expect(() => scopeTarget({})).toThrow(/needs a repo, an image or a cluster/);
  });
});
