import { createHash } from 'node:crypto';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower rank = more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atOrAbove(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

export type FindingSource = 'iac' | 'image' | 'audit' | 'registry' | 'posture';

export interface ResourceRef {
  apiVersion: string | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
}

export interface Location {
  file: string;
  line: number | null;
}

export type SuppressionSource = 'annotation' | 'comment' | 'config' | 'api';

export interface Suppression {
  source: SuppressionSource;
  reason: string | null;
  expires: string | null;
}

/** One finding, the shape every source (IaC, images, audit) shares. Fields that do not apply are null. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  remediation: string;
  fingerprint: string;
  source: FindingSource;
  location: Location | null;
  resource: ResourceRef | null;
  container: string | null;
  compliance: string[];
  suppressed: boolean;
  suppression: Suppression | null;
  /** Masked evidence (never a full secret). */
  evidence?: string | null;
  image?: Record<string, unknown> | null;
  vulnerability?: Record<string, unknown> | null;
  audit?: Record<string, unknown> | null;
}

/**
 * Stable identity: rule, target (file, image or cluster) and resource identity, never line numbers,
 * so editing unrelated lines keeps the fingerprint and renaming the resource changes it.
 */
export function fingerprint(parts: {
  ruleId: string;
  target: string;
  resource?: ResourceRef | null;
  container?: string | null;
  field?: string | null;
}): string {
  const r = parts.resource;
  const identity = [
    parts.ruleId,
    parts.target,
    r ? `${r.kind ?? ''}/${r.namespace ?? ''}/${r.name ?? ''}` : '',
    parts.container ?? '',
    parts.field ?? '',
  ].join('\u0000');
  return createHash('sha256').update(identity).digest('hex');
}

export type SeveritySummary = Record<Severity, number>;

/** Counts unsuppressed findings per severity. */
export function summarize(findings: readonly Finding[]): SeveritySummary {
  const summary: SeveritySummary = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) if (!f.suppressed) summary[f.severity]++;
  return summary;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** By file, line, severity, rule: the order a reader walks a report in. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareText(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      compareText(a.ruleId, b.ruleId),
  );
}
