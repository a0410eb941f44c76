import type { Finding, Severity } from '../findings/finding.ts';
import type { ScanResult } from '../scan/result.ts';

/**
 * GitLab's code quality severities (a subset of the Code Climate issue format): the most severe of
 * ours is a blocker, so merge request widgets sort and colour them as people expect.
 */
export const CODE_QUALITY_SEVERITIES: Record<Severity, 'blocker' | 'critical' | 'major' | 'minor' | 'info'> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

/**
 * A GitLab code quality report (`artifacts:reports:codequality`): a JSON array with one issue per
 * unsuppressed finding. GitLab compares the fingerprints of a merge request with its target branch,
 * so the engine's stable fingerprint is used; findings without a file (image or audit findings)
 * point at the repository root.
 */
export function formatCodeQuality(result: ScanResult): string {
  const issues = result.findings.filter((f) => !f.suppressed).map(codeQualityIssue);
  return JSON.stringify(issues, null, 2) + '\n';
}

function codeQualityIssue(f: Finding) {
  return {
    type: 'issue',
    engine_name: 'shipwatch',
    check_name: f.ruleId,
    description: `${f.ruleId} ${f.title}: ${f.message}`,
    content: { body: f.remediation },
    categories: ['Security'],
    severity: CODE_QUALITY_SEVERITIES[f.severity],
    fingerprint: f.fingerprint,
    location: { path: f.location?.file ?? '.', lines: { begin: f.location?.line ?? 1 } },
  };
}
