import { describe, expect, it } from 'vitest';
import { CODE_QUALITY_SEVERITIES, formatCodeQuality } from '../../shared/format/codequality.ts';
import { summarize, type Finding } from '../../shared/findings/finding.ts';
import { shipwatch, tempRepo } from '../helpers/cli.ts';
import { scanText } from '../helpers/scan.ts';

const yaml = `apiVersion: v1
kind: Pod
metadata: {name: "web|<b>x</b>", namespace: prod}
spec:
  containers:
  - name: main
    image: nginx:1.27
    securityContext: {privileged: true}
  - name: sidecar
    image: envoy:1.30
    # shipwatch:skip=K8S-001 proxy needs iptables
    securityContext: {privileged: true}
`;

interface Issue {
  type: string;
  check_name: string;
  description: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
  content: { body: string };
  categories: string[];
}

describe('GitLab code quality report', () => {
  const result = scanText(yaml, { path: 'deploy/web.yaml' });
  const issues = JSON.parse(formatCodeQuality(result)) as Issue[];

  it('has one issue per unsuppressed finding with the fields GitLab requires', () => {
    expect(issues).toHaveLength(result.findings.filter((f) => !f.suppressed).length);
    expect(result.findings.some((f) => f.suppressed)).toBe(true);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual(['categories', 'check_name', 'content', 'description', 'engine_name', 'fingerprint', 'location', 'severity', 'type']);
      expect(issue.type).toBe('issue');
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(['blocker', 'critical', 'major', 'minor', 'info']).toContain(issue.severity);
      expect(issue.location.path).toBe('deploy/web.yaml');
      expect(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1).toBe(true);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });

  it('maps the privileged container to a blocker at its line, with the remediation as body', () => {
    const privileged = issues.find((i) => i.check_name === 'K8S-001')!;
    expect(privileged).toMatchObject({ severity: 'blocker', location: { path: 'deploy/web.yaml', lines: { begin: 8 } }, categories: ['Security'] });
    expect(privileged.description).toMatch(/^K8S-001 Privileged container: container "main" /);
    expect(privileged.content.body).not.toBe('');
    expect(CODE_QUALITY_SEVERITIES).toEqual({ critical: 'blocker', high: 'critical', medium: 'major', low: 'minor', info: 'info' });
  });

  it('points findings without a file at the repository root', () => {
    const f: Finding = { ...result.findings[0], location: null, suppressed: false, suppression: null };
    const [issue] = JSON.parse(formatCodeQuality({ ...result, findings: [f], summary: summarize([f]) })) as Issue[];
    expect(issue.location).toEqual({ path: '.', lines: { begin: 1 } });
    expect(formatCodeQuality({ ...result, findings: [] })).toBe('[]\n');
  });

  it('is what `shipwatch scan --format codequality` writes, with the usual exit code', () => {
    const repo = tempRepo({ 'deploy/web.yaml': yaml });
    const r = shipwatch(['scan', '--format', 'codequality', repo]);
    expect(r.code).toBe(1);
    const written = JSON.parse(r.stdout) as Issue[];
    expect(written.map((i) => i.check_name).sort()).toEqual(issues.map((i) => i.check_name).sort());
  });
});
