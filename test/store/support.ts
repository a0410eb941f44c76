// Small findings and scan records for the store, lifecycle and API tests.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../../shared/findings/finding.ts';
import type { ScanRecord } from '../../shared/pipeline/model.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** An IaC finding whose engine fingerprint is derived from `id`. */
export function finding(id: string, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'K8S-001',
    severity: 'high',
    title: 'Privileged container',
    message: `container "main" of Deployment ${id} runs privileged`,
    remediation: 'Remove securityContext.privileged.',
    fingerprint: sha(id),
    source: 'iac',
    location: { file: 'deploy/web.yaml', line: 12 },
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: id },
    container: 'main',
    compliance: ['CIS-K8S 5.2.2'],
    suppressed: false,
    suppression: null,
    ...overrides,
  };
}

/** The same finding as the engine reports it when an annotation skips it. */
export function annotated(f: Finding, reason = 'accepted risk'): Finding {
  return { ...f, suppressed: true, suppression: { source: 'annotation', reason, expires: null } };
}

export function scanRecord(at: string, commit = 'c0ffee'): Omit<ScanRecord, 'scopeKey' | 'findings' | 'newFindings' | 'resolvedFindings'> {
  const summary: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  return { at, commit, summary, trigger: 'test' };
}

/** A settable clock for stores (suppress and reopen read it). */
export function testClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(start);
  return { now: () => new Date(current), set: (iso) => (current = new Date(iso)) };
}
