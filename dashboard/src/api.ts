// The findings API as the page uses it. Types come from the server's own modules (type-only
// imports, erased at build), so the page and the API cannot drift apart silently.
import type { HistoryEntry, StoredFinding } from '../../shared/pipeline/model.ts';
import type { FindingStats } from '../../shared/pipeline/stats.ts';
import type { complianceOutput } from '../../shared/compliance/format.ts';
import type { DashboardConfig } from '../../shared/server/dashboard.ts';
import type { ClusterInventoryItem } from '../../shared/posture/inventory.ts';
import { accessToken, signIn } from './auth.ts';

export type { DashboardConfig, FindingStats, HistoryEntry, StoredFinding };
export type ComplianceReportBody = ReturnType<typeof complianceOutput> & { truncated: boolean };
export type ComplianceControl = ComplianceReportBody['controls'][number];
export type ControlFinding = ComplianceControl['findings'][number];
export type ControlStatus = ComplianceControl['status'];

export interface FrameworkSummary {
  id: string;
  name: string;
  version: string;
  mappingVersion: string;
  summary: Record<ControlStatus, number>;
}

export interface FindingPage {
  findings: StoredFinding[];
  cursor: string | null;
}

export interface FindingDetail {
  finding: StoredFinding;
  history: HistoryEntry[];
}

/** GET /inventory: the clusters the posture scan saw. */
export interface InventoryBody {
  clusters: ClusterInventoryItem[];
  summary: { clusters: number; connected: number; notConnected: number };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let config: DashboardConfig = { apiBase: '', auth: null, user: null };

/** Reads the page's settings (where the API is, how to sign in) once at start. */
export async function loadConfig(): Promise<DashboardConfig> {
  const res = await fetch('./config.json', { cache: 'no-store' });
  if (res.ok) config = (await res.json()) as DashboardConfig;
  return config;
}

export function currentConfig(): DashboardConfig {
  return config;
}

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const q = params.toString();
  return `${config.apiBase}${path}${q ? `?${q}` : ''}`;
}

async function call<T>(path: string, init: { query?: Query; method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (config.auth) headers.authorization = `Bearer ${await accessToken(config.auth)}`;
  const res = await fetch(url(path, init.query), { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  if (res.status === 401 && config.auth) {
    await signIn(config.auth);
    throw new ApiError(401, 'signing in again');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, `unexpected answer from ${path} (${res.status})`);
  }
  if (!res.ok) throw new ApiError(res.status, (data as { message?: string } | null)?.message ?? `${path} answered ${res.status}`);
  return data as T;
}

export const api = {
  stats: (query: Query) => call<FindingStats>('/stats', { query }),
  findings: (query: Query) => call<FindingPage>('/findings', { query }),
  finding: (fingerprint: string) => call<FindingDetail>(`/findings/${encodeURIComponent(fingerprint)}`),
  suppress: (fingerprint: string, reason: string, expires: string | undefined) =>
    call<FindingDetail>(`/findings/${encodeURIComponent(fingerprint)}/suppress`, { method: 'POST', body: { reason, ...(expires ? { expires } : {}) } }),
  reopen: (fingerprint: string, reason: string | undefined) => call<FindingDetail>(`/findings/${encodeURIComponent(fingerprint)}/reopen`, { method: 'POST', body: reason ? { reason } : {} }),
  complianceSummaries: (query: Query) => call<{ scope: string; frameworks: FrameworkSummary[]; truncated: boolean }>('/compliance', { query }),
  compliance: (framework: string, query: Query) => call<ComplianceReportBody>(`/compliance/${encodeURIComponent(framework)}`, { query }),
  inventory: () => call<InventoryBody>('/inventory'),
};
