// The findings API as a pure router over a FindingStore; the Lambda handler and the local server
// only translate their requests into this shape and back.
//   GET  /findings                          list (filters source, severity, status, repo, image, cluster, rule, q; cursor; limit)
//   GET  /findings/{fingerprint}            one finding with its history
//   POST /findings/{fingerprint}/suppress   { reason, expires? } recorded with the caller as who
//   POST /findings/{fingerprint}/reopen     { reason? }
//   GET  /stats                             counts, top rules, riskiest targets, opened/resolved per day (filters source, repo, image, cluster; days)
//   GET  /compliance                        every framework's summary over the stored findings (scope, repo, image, cluster)
//   GET  /compliance/{framework}            per control pass / fail / accepted / not assessed with the findings behind it (same filters; limit per control)
//   GET  /inventory                         the EKS clusters the posture scan saw (filters account, region, connected)
import * as z from 'zod';
import { SEVERITIES } from '../findings/finding.ts';
import { InvalidCursorError, MAX_PAGE_LIMIT } from '../store/paging.ts';
import { hasRevision, type FindingFilter, type FindingStore } from './ports.ts';
import { FINDING_STATUSES } from './model.ts';
import { FRAMEWORKS, frameworkById } from '../compliance/framework.ts';
import { complianceOutput } from '../compliance/format.ts';
import { judgeCompliance } from '../compliance/report.ts';
import { REPORT_SCOPES } from '../compliance/report-scope.ts';
import { StoredComplianceEvidence } from '../compliance/stored.ts';
import { StatsCollector } from './stats.ts';
import type { InventoryStore } from '../posture/inventory.ts';
import { listInventory } from '../posture/inventory-api.ts';

export interface FindingsRequest {
  method: string;
  /** The route path, e.g. `/findings/<fingerprint>/suppress` (no stage prefix, no query string). */
  path: string;
  query?: Record<string, string | string[] | undefined> | null;
  /** The raw JSON text, or an already parsed value. */
  body?: unknown;
  /** Who is calling (the IAM principal, or the local user); required to change a finding. */
  principal?: string | null;
}

export interface FindingsResponse {
  statusCode: number;
  body: unknown;
}

const SOURCES = ['iac', 'image', 'audit', 'registry', 'posture'] as const;
const FINGERPRINT = /^[0-9a-f]{64}$/;

const target = z.string().min(1).max(512);
const listQuery = z.strictObject({
  source: z.enum(SOURCES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  repo: target.optional(),
  image: target.optional(),
  cluster: target.optional(),
  rule: z.string().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().min(1).max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
});

const statsQuery = z.strictObject({
  source: z.enum(SOURCES).optional(),
  repo: target.optional(),
  image: target.optional(),
  cluster: target.optional(),
  days: z.coerce.number().int().min(1).max(365).optional(),
});

const complianceQuery = z.strictObject({
  scope: z.enum(REPORT_SCOPES).optional(),
  repo: target.optional(),
  image: target.optional(),
  cluster: target.optional(),
  /** Findings listed per control (the counts stay complete). */
  limit: z.coerce.number().int().min(0).max(MAX_PAGE_LIMIT).optional(),
});

const DEFAULT_STATS_DAYS = 30;
const DEFAULT_FINDINGS_PER_CONTROL = 50;

const suppressBody = z.strictObject({
  reason: z.string().trim().min(1, 'a reason is required').max(1000),
  expires: z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected an ISO date (YYYY-MM-DD) or date-time' }).optional(),
});

const reopenBody = z.strictObject({
  reason: z.string().trim().min(1).max(1000).optional(),
});

const reply = (statusCode: number, body: unknown): FindingsResponse => ({ statusCode, body });
const problem = (statusCode: number, message: string): FindingsResponse => reply(statusCode, { message });

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

type Parsed<T> = { ok: true; value: T } | { ok: false; response: FindingsResponse };

function parseBody<T>(raw: unknown, schema: z.ZodType<T>): Parsed<T> {
  let value = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') value = {};
    else {
      try {
        value = JSON.parse(raw);
      } catch {
        return { ok: false, response: problem(400, 'body is not valid JSON') };
      }
    }
  }
  const parsed = schema.safeParse(value ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: problem(400, describeIssues(parsed.error)) };
}

export async function handleFindingsRequest(req: FindingsRequest, store: FindingStore, now: () => Date = () => new Date(), inventory?: InventoryStore): Promise<FindingsResponse> {
  const segments = req.path.split('/').filter(Boolean).map(safeDecode);
  if (segments.includes(null)) return problem(404, 'no such route');
  const method = req.method.toUpperCase();
  if (segments[0] === 'inventory' && segments.length === 1 && inventory) return method === 'GET' ? listInventory(req.query, inventory) : problem(405, 'use GET on /inventory');
  if (segments[0] === 'stats' && segments.length === 1) {
    if (method !== 'GET') return problem(405, 'use GET on /stats');
    return aggregate(req, store, now(), () => findingStats(req, store, now()));
  }
  if (segments[0] === 'compliance' && segments.length <= 2) {
    if (method !== 'GET') return problem(405, `use GET on ${req.path}`);
    return aggregate(req, store, now(), () => (segments[1] === undefined ? complianceSummaries(req, store, now()) : complianceReportOf(segments[1] as string, req, store, now())));
  }
  if (segments[0] !== 'findings' || segments.length > 3) return problem(404, 'no such route');
  const [, fingerprint, action] = segments as string[];

  if (fingerprint === undefined) return method === 'GET' ? listFindings(req, store) : problem(405, 'use GET on /findings');
  if (action === undefined) {
    if (method !== 'GET') return problem(405, `use GET on /findings/${fingerprint}`);
    return showFinding(fingerprint, store);
  }
  if (action !== 'suppress' && action !== 'reopen') return problem(404, 'no such route');
  if (method !== 'POST') return problem(405, `use POST on /findings/${fingerprint}/${action}`);
  const principal = req.principal?.trim();
  if (!principal) return problem(401, 'changing a finding needs an authenticated caller');
  if (!FINGERPRINT.test(fingerprint) || !(await store.get(fingerprint))) return problem(404, `no finding ${fingerprint}`);
  return action === 'suppress' ? suppress(fingerprint, req.body, principal, store, now()) : reopen(fingerprint, req.body, principal, store);
}

async function listFindings(req: FindingsRequest, store: FindingStore): Promise<FindingsResponse> {
  const given = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, value]) => value !== undefined));
  const parsed = listQuery.safeParse(given);
  if (!parsed.success) return problem(400, describeIssues(parsed.error));
  const { cursor, limit, q, ...rest } = parsed.data;
  const filter: FindingFilter = { ...rest, ...(q !== undefined ? { text: q } : {}) };
  try {
    const page = await store.query(filter, { cursor, limit });
    return reply(200, { findings: page.items, cursor: page.cursor ?? null });
  } catch (e) {
    if (e instanceof InvalidCursorError) return problem(400, e.message);
    throw e;
  }
}

/** Aggregates answered per store; a few per store are kept, the oldest dropped first. */
const AGGREGATE_CACHE_SIZE = 32;
const aggregates = new WeakMap<FindingStore, Map<string, { revision: number; day: string; response: FindingsResponse }>>();

/**
 * Statistics and compliance read every finding, so over a store that counts its changes the answer
 * is kept until the next change (or the next day: the day series moves). Other stores compute anew.
 */
async function aggregate(req: FindingsRequest, store: FindingStore, now: Date, compute: () => Promise<FindingsResponse>): Promise<FindingsResponse> {
  if (!hasRevision(store)) return compute();
  const key = `${req.path}?${new URLSearchParams(Object.entries(req.query ?? {}).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x]))))}`;
  const day = now.toISOString().slice(0, 10);
  let cache = aggregates.get(store);
  if (!cache) aggregates.set(store, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && hit.revision === store.revision && hit.day === day) return hit.response;
  const revision = store.revision;
  const response = await compute();
  if (response.statusCode === 200 && revision === store.revision) {
    cache.delete(key);
    cache.set(key, { revision, day, response });
    if (cache.size > AGGREGATE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return response;
}

function parseQuery<T>(req: FindingsRequest, schema: z.ZodType<T>): Parsed<T> {
  const given = Object.fromEntries(Object.entries(req.query ?? {}).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(given);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: problem(400, describeIssues(parsed.error)) };
}

async function findingStats(req: FindingsRequest, store: FindingStore, now: Date): Promise<FindingsResponse> {
  const parsed = parseQuery(req, statsQuery);
  if (!parsed.ok) return parsed.response;
  const { days, ...filter } = parsed.value;
  const stats = new StatsCollector(now, days ?? DEFAULT_STATS_DAYS);
  const visit = await store.visit(filter, (f) => stats.add(f));
  return reply(200, stats.result(visit.truncated));
}

/** The evidence of a compliance request: every stored finding of the targets asked for, any status. */
async function complianceEvidence(filter: FindingFilter, store: FindingStore) {
  const evidence = new StoredComplianceEvidence();
  const visit = await store.visit(filter, (f) => evidence.add(f));
  return { evidence, truncated: visit.truncated };
}

async function complianceSummaries(req: FindingsRequest, store: FindingStore, now: Date): Promise<FindingsResponse> {
  const parsed = parseQuery(req, complianceQuery);
  if (!parsed.ok) return parsed.response;
  const { scope = 'all', limit: _limit, ...filter } = parsed.value;
  const { evidence, truncated } = await complianceEvidence(filter, store);
  const frameworks = FRAMEWORKS.map((fw) => {
    const report = judgeCompliance(fw, evidence, { scope, now: () => now });
    return { ...report.framework, summary: report.summary };
  });
  return reply(200, { scope, generatedAt: now.toISOString(), frameworks, truncated });
}

async function complianceReportOf(frameworkId: string, req: FindingsRequest, store: FindingStore, now: Date): Promise<FindingsResponse> {
  const framework = frameworkById(frameworkId);
  if (!framework) return problem(404, `no compliance framework "${frameworkId}" (${FRAMEWORKS.map((f) => f.id).join(', ')})`);
  const parsed = parseQuery(req, complianceQuery);
  if (!parsed.ok) return parsed.response;
  const { scope = 'all', limit, ...filter } = parsed.value;
  const { evidence, truncated } = await complianceEvidence(filter, store);
  const report = judgeCompliance(framework, evidence, { scope, now: () => now });
  return reply(200, { ...complianceOutput(report, { maxFindingsPerControl: limit ?? DEFAULT_FINDINGS_PER_CONTROL }), truncated });
}

async function showFinding(fingerprint: string, store: FindingStore): Promise<FindingsResponse> {
  const finding = FINGERPRINT.test(fingerprint) ? await store.get(fingerprint) : null;
  if (!finding) return problem(404, `no finding ${fingerprint}`);
  return reply(200, { finding, history: await store.history(fingerprint) });
}

async function suppress(fingerprint: string, body: unknown, principal: string, store: FindingStore, now: Date): Promise<FindingsResponse> {
  const parsed = parseBody(body, suppressBody);
  if (!parsed.ok) return parsed.response;
  const { reason, expires } = parsed.value;
  let until: string | null = null;
  if (expires !== undefined) {
    // A bare date suppresses through that day, like `expires` in .shipwatch.yaml.
    const isDate = /^\d{4}-\d{2}-\d{2}$/.test(expires);
    const passed = isDate ? expires < now.toISOString().slice(0, 10) : Date.parse(expires) <= now.getTime();
    if (passed) return problem(400, 'expires: must be in the future');
    until = isDate ? expires : new Date(expires).toISOString();
  }
  const finding = await store.suppress(fingerprint, principal, reason, until);
  if (!finding) return problem(404, `no finding ${fingerprint}`);
  return reply(200, { finding, history: await store.history(fingerprint) });
}

async function reopen(fingerprint: string, body: unknown, principal: string, store: FindingStore): Promise<FindingsResponse> {
  const parsed = parseBody(body, reopenBody);
  if (!parsed.ok) return parsed.response;
  const current = await store.get(fingerprint);
  if (!current) return problem(404, `no finding ${fingerprint}`);
  if (current.status === 'open') return problem(409, 'the finding is already open');
  const finding = await store.reopen(fingerprint, principal, parsed.value.reason);
  if (!finding) return problem(404, `no finding ${fingerprint}`);
  return reply(200, { finding, history: await store.history(fingerprint) });
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
