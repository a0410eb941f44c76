// Labels and small formatting shared by the views. Everything returns plain strings: the views put
// them in text nodes, never in HTML.
import type { StoredFinding } from './api.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SOURCES = ['iac', 'image', 'registry', 'audit', 'posture'] as const;
export const STATUSES = ['open', 'suppressed', 'resolved', 'superseded'] as const;

export const SOURCE_LABELS: Record<string, string> = { iac: 'Repositories (IaC)', image: 'Images', registry: 'Registry scans', audit: 'Audit logs', posture: 'Cloud posture' };
export const STATUS_LABELS: Record<string, string> = { fail: 'Fail', accepted: 'Accepted risk', pass: 'Pass', 'not-assessed': 'Not assessed' };

export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** "2026-11-27 14:03 UTC" (ISO input); unknown values as a dash. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What a finding is about: the repository (and ref), image or cluster. */
export function targetLabel(f: Pick<StoredFinding, 'scope'>): string {
  const s = f.scope;
  if (s.repo) return s.ref ? `${s.repo} @ ${s.ref}` : s.repo;
  return s.image ?? s.cluster ?? '–';
}

/** Where in the target: file and line, and the resource and container. */
export function locationLabel(f: StoredFinding): string {
  const parts: string[] = [];
  if (f.location) parts.push(f.location.line != null ? `${f.location.file}:${f.location.line}` : f.location.file);
  if (f.resource?.kind || f.resource?.name) parts.push(`${f.resource.kind ?? ''}/${f.resource.name ?? ''}${f.resource.namespace ? ` -n ${f.resource.namespace}` : ''}`);
  if (f.container) parts.push(`container ${f.container}`);
  return parts.join(' · ') || '–';
}

/** Only web links are followed: a stored URL that is anything else (javascript:, data:) is shown as text. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
