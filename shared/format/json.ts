import type { Finding } from '../findings/finding.ts';
import type { ScanResult } from '../scan/result.ts';

/**
 * The scan output contract (`--format json`, design.md "Scan output"; schema/scan-output.schema.json).
 * Every object is rebuilt in contract order, so the output is byte-stable whatever order the
 * producers assembled their objects in, and internal properties never leak into it.
 */
export function formatJson(result: ScanResult, options: { pretty?: boolean } = {}): string {
  // Compact by default: a large repository's output is tens of megabytes, and tools (jq) re-indent it anyway.
  return JSON.stringify(scanOutput(result), null, options.pretty ? 2 : undefined) + '\n';
}

export function scanOutput(result: ScanResult) {
  const { summary } = result;
  return {
    schemaVersion: result.schemaVersion,
    findings: result.findings.map(findingOutput),
    errors: result.errors.map((e) => ({ file: e.file, line: e.line, message: e.message })),
    notices: result.notices.map((n) => ({ file: n.file, message: n.message })),
    summary: { critical: summary.critical, high: summary.high, medium: summary.medium, low: summary.low, info: summary.info },
  };
}

/** One finding in contract order; the optional blocks appear only on findings that carry them. */
export function findingOutput(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    remediation: f.remediation,
    fingerprint: f.fingerprint,
    source: f.source,
    location: f.location && { file: f.location.file, line: f.location.line },
    resource: f.resource && { apiVersion: f.resource.apiVersion, kind: f.resource.kind, namespace: f.resource.namespace, name: f.resource.name },
    container: f.container,
    compliance: [...f.compliance],
    suppressed: f.suppressed,
    suppression: f.suppression && { source: f.suppression.source, reason: f.suppression.reason, expires: f.suppression.expires },
    ...(f.evidence !== undefined ? { evidence: f.evidence } : {}),
    ...(f.image !== undefined ? { image: f.image } : {}),
    ...(f.vulnerability !== undefined ? { vulnerability: f.vulnerability } : {}),
    ...(f.audit !== undefined ? { audit: f.audit } : {}),
  };
}
