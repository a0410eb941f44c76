// The finding lifecycle as pure functions: every store adapter (DynamoDB, local) computes its
// transitions here and only decides how to write them.
import type { Finding, Suppression } from '../findings/finding.ts';
import { scopeKey, storedFingerprint, type FindingScope, type HistoryEntry, type StoredFinding } from './model.ts';
import type { ApplyScanResult, FindingFilter } from './ports.ts';

/** An `ApplyScanResult` with every list present (the stores always fill `suppressed`). */
export type ScanOutcomes = Required<ApplyScanResult>;

/** Which list of an `ApplyScanResult` a transition belongs to. */
export type Outcome = keyof ScanOutcomes;

export interface Transition {
  /** The stored state after the transition. */
  next: StoredFinding;
  /** The history entry this transition records; null when it only refreshes the finding. */
  event: HistoryEntry | null;
  outcome: Outcome;
  /** False when there is nothing to write (a scan older than what the store already knows). */
  write: boolean;
}

const SCAN_SUPPRESSION_SOURCES = new Set<string>(['annotation', 'comment', 'config']);

/** Suppressions made in the source (annotation, comment, `.shipwatch.yaml`) follow the scans; API ones follow their expiry. */
function isSuppressedBySource(f: StoredFinding): boolean {
  return f.status === 'suppressed' && SCAN_SUPPRESSION_SOURCES.has(f.suppression?.source ?? '');
}

/**
 * Whether a suppression has run out at `now`. A bare date (`2027-03-31`, as in `.shipwatch.yaml`)
 * suppresses through the end of that day (UTC); a date-time until that instant.
 */
export function suppressionExpired(until: string | null, now: string): boolean {
  if (until === null) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) return until < now.slice(0, 10);
  const end = Date.parse(until);
  return !Number.isNaN(end) && end <= Date.parse(now);
}

/** The scope with only its own keys (no undefined members to store). */
function cleanScope(scope: FindingScope): FindingScope {
  const out: FindingScope = {};
  if (scope.repo !== undefined) out.repo = scope.repo;
  if (scope.ref !== undefined) out.ref = scope.ref;
  if (scope.image !== undefined) out.image = scope.image;
  if (scope.cluster !== undefined) out.cluster = scope.cluster;
  return out;
}

const entry = (at: string, event: HistoryEntry['event'], by?: string | null, reason?: string | null): HistoryEntry => ({
  at,
  event,
  ...(by ? { by } : {}),
  ...(reason ? { reason } : {}),
});

function withStatusFields(base: StoredFinding, status: StoredFinding['status'], suppression: Suppression | null, suppressedBy: string | null): StoredFinding {
  return {
    ...base,
    status,
    suppressed: status === 'suppressed',
    suppression: status === 'suppressed' ? suppression : null,
    suppressedBy: status === 'suppressed' ? suppressedBy : null,
    suppressedReason: status === 'suppressed' ? (suppression?.reason ?? null) : null,
    suppressedUntil: status === 'suppressed' ? (suppression?.expires ?? null) : null,
  };
}

const outcomeOf = (f: StoredFinding): Outcome => (f.status === 'suppressed' ? 'suppressed' : f.status === 'open' ? 'unchanged' : 'resolved');

/**
 * A scan (or an event stream) produced `finding` in `scope` at `now`: the next stored state.
 * - new: opened (or suppressed right away when the source suppresses it);
 * - open: lastSeen, message, severity, line... refreshed;
 * - resolved: reopened;
 * - suppressed through the API: stays suppressed until `suppressedUntil` passes, then opens again (`unsuppressed`);
 * - suppressed in the source: follows the source (an annotation removed opens it again).
 * A scan older than what the store already saw changes nothing.
 */
export function observeFinding(existing: StoredFinding | null, finding: Finding, scope: FindingScope, now: string, url?: string | null): Transition {
  const sourceSuppression = finding.suppressed && finding.suppression ? finding.suppression : null;
  const fingerprint = storedFingerprint(scope, finding.fingerprint);

  if (!existing) {
    const fresh: StoredFinding = {
      ...finding,
      fingerprint,
      findingFingerprint: finding.fingerprint,
      scope: cleanScope(scope),
      scopeKey: scopeKey(scope),
      status: 'open',
      firstSeen: now,
      lastSeen: now,
      resolvedAt: null,
      suppressedBy: null,
      suppressedReason: null,
      suppressedUntil: null,
      url: url ?? null,
    };
    if (sourceSuppression) {
      const next = withStatusFields(fresh, 'suppressed', sourceSuppression, sourceSuppression.source);
      return { next, event: entry(now, 'suppressed', sourceSuppression.source, sourceSuppression.reason), outcome: 'suppressed', write: true };
    }
    return { next: withStatusFields(fresh, 'open', null, null), event: entry(now, 'opened'), outcome: 'opened', write: true };
  }

  const stale = existing.lastSeen > now || (existing.resolvedAt !== null && existing.resolvedAt > now);
  if (stale) return { next: existing, event: null, outcome: outcomeOf(existing), write: false };

  // The scan's view of the finding, with the lifecycle fields carried over.
  const refreshed: StoredFinding = {
    ...finding,
    fingerprint: existing.fingerprint,
    findingFingerprint: existing.findingFingerprint,
    scope: existing.scope,
    scopeKey: existing.scopeKey,
    status: existing.status,
    firstSeen: existing.firstSeen,
    lastSeen: now,
    resolvedAt: existing.resolvedAt,
    suppressed: existing.suppressed,
    suppression: existing.suppression,
    suppressedBy: existing.suppressedBy,
    suppressedReason: existing.suppressedReason,
    suppressedUntil: existing.suppressedUntil,
    url: url ?? existing.url,
  };

  if (existing.status === 'suppressed' && !isSuppressedBySource(existing)) {
    if (!suppressionExpired(existing.suppressedUntil, now)) return { next: refreshed, event: null, outcome: 'suppressed', write: true };
    if (sourceSuppression) {
      const next = withStatusFields(refreshed, 'suppressed', sourceSuppression, sourceSuppression.source);
      return { next, event: entry(now, 'suppressed', sourceSuppression.source, sourceSuppression.reason), outcome: 'suppressed', write: true };
    }
    return { next: withStatusFields(refreshed, 'open', null, null), event: entry(now, 'unsuppressed', null, 'suppression expired'), outcome: 'opened', write: true };
  }

  if (existing.status === 'suppressed') {
    // Suppressed in the source: the source's current word decides.
    if (sourceSuppression) return { next: withStatusFields(refreshed, 'suppressed', sourceSuppression, sourceSuppression.source), event: null, outcome: 'suppressed', write: true };
    return { next: withStatusFields(refreshed, 'open', null, null), event: entry(now, 'unsuppressed', null, 'suppression removed from the source'), outcome: 'opened', write: true };
  }

  if (sourceSuppression) {
    const next = withStatusFields({ ...refreshed, resolvedAt: null }, 'suppressed', sourceSuppression, sourceSuppression.source);
    return { next, event: entry(now, 'suppressed', sourceSuppression.source, sourceSuppression.reason), outcome: 'suppressed', write: true };
  }
  if (existing.status === 'resolved' || existing.status === 'superseded') {
    return { next: withStatusFields({ ...refreshed, resolvedAt: null }, 'open', null, null), event: entry(now, 'reopened'), outcome: 'opened', write: true };
  }
  return { next: withStatusFields(refreshed, 'open', null, null), event: null, outcome: 'unchanged', write: true };
}

/**
 * An open finding that a complete scan of its scope at `now` no longer produced: resolved.
 * Null when there is nothing to resolve (not open, or seen by this or a newer scan).
 */
export function resolveFinding(existing: StoredFinding, now: string): Transition | null {
  if (existing.status !== 'open' || existing.lastSeen >= now) return null;
  return { next: { ...existing, status: 'resolved', resolvedAt: now }, event: entry(now, 'resolved'), outcome: 'resolved', write: true };
}

/**
 * An open finding whose target was replaced (a newer image under the same tag) and which the new
 * target's scan did not produce: `superseded`, not resolved (nobody fixed it in that image), with
 * `resolvedAt` as the time it stopped being current and the reason in its history.
 */
export function supersedeFinding(existing: StoredFinding, now: string, reason: string): Transition | null {
  if (existing.status !== 'open' || existing.lastSeen >= now) return null;
  return { next: { ...existing, status: 'superseded', resolvedAt: now }, event: entry(now, 'superseded', null, reason), outcome: 'superseded', write: true };
}

/** Someone suppresses a finding (any status) until a time or for good. */
export function suppressFinding(existing: StoredFinding, by: string, reason: string, until: string | null, now: string): Transition {
  const next = withStatusFields({ ...existing, resolvedAt: null }, 'suppressed', { source: 'api', reason, expires: until }, by);
  return { next, event: entry(now, 'suppressed', by, reason), outcome: 'suppressed', write: true };
}

/**
 * Someone reopens a suppressed (`unsuppressed`) or resolved (`reopened`) finding.
 * Null when it is already open.
 */
export function reopenFinding(existing: StoredFinding, by: string, reason: string | undefined, now: string): Transition | null {
  if (existing.status === 'open') return null;
  const event = existing.status === 'suppressed' ? 'unsuppressed' : 'reopened';
  const next = withStatusFields({ ...existing, resolvedAt: null }, 'open', null, null);
  return { next, event: entry(now, event, by, reason), outcome: 'opened', write: true };
}

export function emptyApplyResult(): ScanOutcomes {
  return { opened: [], resolved: [], unchanged: [], suppressed: [], superseded: [] };
}

/** The last finding per engine fingerprint (a scan that lists one twice describes one finding). */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  return [...new Map(findings.map((f) => [f.fingerprint, f])).values()];
}

export type TargetKind = 'repo' | 'image' | 'cluster';

/** What a scope scans, without the ref: findings are listed per repository, image or cluster. */
export function scopeTarget(scope: FindingScope): { kind: TargetKind; name: string } {
  if (scope.repo) return { kind: 'repo', name: scope.repo };
  if (scope.image) return { kind: 'image', name: scope.image };
  if (scope.cluster) return { kind: 'cluster', name: scope.cluster };
  throw new Error('a finding scope needs a repo, an image or a cluster');
}

/** The filter's target conditions, in the order an index is chosen by (repo, image, cluster). */
export function filterTargets(filter: FindingFilter): { kind: TargetKind; name: string }[] {
  const out: { kind: TargetKind; name: string }[] = [];
  if (filter.repo) out.push({ kind: 'repo', name: filter.repo });
  if (filter.image) out.push({ kind: 'image', name: filter.image });
  if (filter.cluster) out.push({ kind: 'cluster', name: filter.cluster });
  return out;
}
