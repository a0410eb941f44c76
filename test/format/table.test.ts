import { describe, expect, it } from 'vitest';
import { formatRulesTable, formatTable, summaryLine } from '../../shared/format/table.ts';
import { summarize, type Finding } from '../../shared/findings/finding.ts';
import type { RuleMeta } from '../../shared/rules/registry.ts';
import type { ScanResult } from '../../shared/scan/result.ts';
import { scanText } from '../helpers/scan.ts';

const ANSI = /\x1b\[/;

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      containers:
      - name: main
        image: nginx:1.27
        securityContext:
          privileged: true
      - name: sidecar
        image: envoy:1.30
        # shipwatch:skip=K8S-001 the proxy needs iptables until the CNI migration
        securityContext: {privileged: true}
`;

/** Only the two findings a test is about, so the expectations do not depend on which other rules exist. */
function privilegedOnly(result: ScanResult): ScanResult {
  const findings = result.findings.filter((f) => f.ruleId === 'K8S-001');
  return { ...result, findings, summary: summarize(findings) };
}

describe('formatTable', () => {
  const result = privilegedOnly(scanText(manifest, { path: 'deploy/web.yaml' }));

  it('prints one line per finding under its file: line, severity, rule, title, resource, container, message', () => {
    const text = formatTable(result, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('deploy/web.yaml');
    expect(lines[1]).toBe('  13  critical  K8S-001  Privileged container · Deployment/web -n prod · container main · container "main" runs privileged');
  });

  it('marks suppressed findings with their reason', () => {
    const text = formatTable(result, { color: false });
    const line = text.split('\n').find((l) => l.includes('container sidecar'));
    expect(line).toMatch(/^ {2}17 {2}critical {2}K8S-001 /);
    expect(line).toContain('[suppressed by comment: the proxy needs iptables until the CNI migration]');
  });

  it('ends with a one-line summary of unsuppressed counts and the suppressed count', () => {
    const text = formatTable(result, { color: false });
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 critical, 0 high, 0 medium, 0 low, 0 info (1 suppressed)');
  });

  it('has no colour codes at all when colour is off, and colours severities and dims suppressed lines when on', () => {
    expect(formatTable(result, { color: false })).not.toMatch(ANSI);
    const colored = formatTable(result, { color: true });
    expect(colored).toContain('\x1b[1;35mcritical\x1b[0m');
    const suppressedLine = colored.split('\n').find((l) => l.includes('container sidecar'));
    expect(suppressedLine?.startsWith('\x1b[2m')).toBe(true);
    expect(summaryLine(result, true)).toContain('\x1b[1;35m1 critical\x1b[0m');
  });

  it('lists errors and notices after the findings', () => {
    const withProblems: ScanResult = {
      ...result,
      errors: [{ file: 'broken.yaml', line: 3, message: 'invalid YAML' }, { file: 'huge.yaml', line: null, message: 'too large' }],
      notices: [{ file: 'charts/app', message: 'Helm chart skipped' }, { file: null, message: 'ignore expired' }],
    };
    const lines = formatTable(withProblems, { color: false }).split('\n');
    const errors = lines.indexOf('Errors');
    const notices = lines.indexOf('Notices');
    expect(errors).toBeGreaterThan(2);
    expect(lines.slice(errors + 1, errors + 3)).toEqual(['  broken.yaml:3  invalid YAML', '  huge.yaml  too large']);
    expect(notices).toBeGreaterThan(errors);
    expect(lines.slice(notices + 1, notices + 3)).toEqual(['  charts/app  Helm chart skipped', '  ignore expired']);
  });

  it('prints only the summary for a clean scan', () => {
    const clean: ScanResult = { schemaVersion: 1, findings: [], errors: [], notices: [], summary: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
    expect(formatTable(clean, { color: true })).toBe('0 critical, 0 high, 0 medium, 0 low, 0 info\n');
  });

  it('neutralises terminal escape sequences and newlines in untrusted text', () => {
    const evil: Finding = {
      ...result.findings[0],
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: null, name: 'x\x1b]0;pwned\x07' },
      message: 'first line\nFAKE  critical  K8S-999',
      location: { file: 'a\x1b[2Jb.yaml', line: 1 },
    };
    const text = formatTable({ ...result, findings: [evil] }, { color: false });
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(text).toContain('a\\u001b[2Jb.yaml');
    expect(text).toContain('Pod/x\\u001b]0;pwned\\u0007');
    expect(text).toContain('first line\\nFAKE');
  });

  it('groups findings without a file by image or cluster, with "-" for the line', () => {
    const base = result.findings[0];
    const image: Finding = { ...base, source: 'image', location: null, resource: null, container: null, image: { registry: 'ghcr.io', repository: 'acme/web', tag: '1.0', digest: null, platform: null } };
    const audit: Finding = { ...base, source: 'audit', location: null, resource: null, container: null, audit: { cluster: 'prod-eu' } };
    const lines = formatTable({ ...result, findings: [image, audit] }, { color: false }).split('\n');
    expect(lines).toContain('image ghcr.io/acme/web:1.0');
    expect(lines).toContain('cluster prod-eu');
    expect(lines.find((l) => l.includes('K8S-001'))).toMatch(/^ {2}- {2}critical/);
  });
});

describe('formatRulesTable', () => {
  const rule = (id: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
    id,
    engine: 'k8s',
    severity: 'high',
    title: `Rule ${id}`,
    description: '',
    remediation: '',
    compliance: ['CIS-K8S 5.2.2', 'PCI-DSS 2.2.6'],
    ...extra,
  });

  it('prints an aligned row per rule sorted by id (numerically)', () => {
    const text = formatRulesTable([rule('K8S-010'), rule('K8S-002', { severity: 'critical', offByDefault: true, compliance: [] })]);
    expect(text.split('\n')).toEqual([
      'ID       SEVERITY  TITLE                          COMPLIANCE',
      'K8S-002  critical  Rule K8S-002 (off by default)',
      'K8S-010  high      Rule K8S-010                   CIS-K8S 5.2.2, PCI-DSS 2.2.6',
      '',
    ]);
  });
});
