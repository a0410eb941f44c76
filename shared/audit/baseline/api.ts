// The baselines routes of the findings API, as a pure router over a BaselineStore (the findings-api
// Lambda and `shipwatch serve` translate their requests into this shape):
//   GET    /baselines/{cluster}/{serviceAccount}   the learned set, learning window and saturation
//   DELETE /baselines/{cluster}/{serviceAccount}   forget the learned set and learn again from now
// {serviceAccount} is `<namespace>:<name>` or the full `system:serviceaccount:<ns>:<name>`; any other
// (URL-encoded) username addresses a human identity's platform-namespace baseline.
import type { AuditConfig } from '../settings.ts';
import { DEFAULT_LEARNING_DAYS, DEFAULT_MAX_TUPLES } from './learner.ts';
import type { Baseline, BaselineStore } from './store.ts';
import { decodeTuple } from './subject.ts';

export interface BaselineRequest {
  method: string;
  /** `/baselines/<cluster>/<identity>` (no query string). */
  path: string;
  /** Who is calling; required to reset. */
  principal?: string | null;
}

export interface BaselineResponse {
  statusCode: number;
  body: unknown;
}

export interface BaselineApiOptions {
  /** Length of the learning period a reset starts (audit.baseline.learningDays). */
  learningMs: number;
  maxTuples: number;
  now?: () => Date;
}

/** The API's limits from the `audit.baseline` configuration (catalog defaults without one). */
export function baselineApiOptions(config: AuditConfig | undefined): BaselineApiOptions {
  return {
    learningMs: (config?.baseline?.learningDays ?? DEFAULT_LEARNING_DAYS) * 24 * 3600 * 1000,
    maxTuples: config?.baseline?.maxTuples ?? DEFAULT_MAX_TUPLES,
  };
}

const SA_SHORT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_SEGMENT = 512;

/** True for the paths this router answers. */
export function isBaselinePath(path: string): boolean {
  return path === '/baselines' || path.startsWith('/baselines/');
}

export function identityOfSegment(segment: string): string {
  return SA_SHORT.test(segment) ? `system:serviceaccount:${segment}` : segment;
}

export function baselineView(baseline: Baseline, now: Date, maxTuples: number) {
  return {
    cluster: baseline.cluster,
    identity: baseline.identity,
    kind: baseline.kind,
    firstSeen: baseline.firstSeen,
    learningUntil: baseline.learningUntil,
    learning: now.toISOString() < baseline.learningUntil,
    saturated: baseline.saturated,
    maxTuples,
    tupleCount: baseline.tuples.length,
    tuples: baseline.tuples.map(decodeTuple),
    updatedAt: baseline.updatedAt,
  };
}

export async function handleBaselineRequest(req: BaselineRequest, store: BaselineStore, options: BaselineApiOptions): Promise<BaselineResponse> {
  const now = (options.now ?? (() => new Date()))();
  const segments = req.path.split('/').filter(Boolean).map(safeDecode);
  if (segments[0] !== 'baselines' || segments.length !== 3 || segments.some((s) => s === null || s.length > MAX_SEGMENT)) {
    return { statusCode: 404, body: { message: 'no such route (use /baselines/{cluster}/{serviceAccount})' } };
  }
  const cluster = segments[1]!;
  const identity = identityOfSegment(segments[2]!);
  const method = req.method.toUpperCase();
  if (method === 'GET') {
    const baseline = await store.get(cluster, identity);
    if (!baseline) return { statusCode: 404, body: { message: 'no baseline for this identity in this cluster' } };
    return { statusCode: 200, body: { baseline: baselineView(baseline, now, options.maxTuples) } };
  }
  if (method === 'DELETE') {
    if (!req.principal?.trim()) return { statusCode: 401, body: { message: 'resetting a baseline needs an authenticated caller' } };
    const reset = await store.reset(cluster, identity, { firstSeen: now.toISOString(), learningUntil: new Date(now.getTime() + options.learningMs).toISOString() });
    if (!reset) return { statusCode: 404, body: { message: 'no baseline for this identity in this cluster' } };
    return { statusCode: 200, body: { baseline: baselineView(reset, now, options.maxTuples), resetBy: req.principal.trim() } };
  }
  return { statusCode: 405, body: { message: 'use GET or DELETE on /baselines/{cluster}/{serviceAccount}' } };
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
