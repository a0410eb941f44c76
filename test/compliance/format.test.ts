import { describe, expect, it } from 'vitest';
import { complianceHeadline, formatComplianceCsv, formatComplianceJson, formatComplianceMarkdown, formatComplianceTable } from '../../shared/compliance/format.ts';
import { complianceReport, scannedKindsOf } from '../../shared/compliance/report.ts';
import { scanText } from '../helpers/scan.ts';

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: main
        image: nginx:1.27
        securityContext:
          privileged: true
      - name: sidecar
        image: envoy:1.30
        # shipwatch:skip=K8S-001 proxy needs iptables, see SEC-42
        securityContext: {privileged: true}
`;
const now = () => new Date('2026-11-20T08:00:00Z');
const report = complianceReport('cis-k8s', scanText(yaml, { path: 'deploy/web.yaml' }), scannedKindsOf([{ path: 'deploy/web.yaml', text: yaml }]), { now });

describe('compliance report formatters', () => {
  it('headline counts controls per status', () => {
    const s = report.summary;
    expect(complianceHeadline(report)).toBe(`CIS Kubernetes Benchmark v1.10: ${s.fail} fail, ${s.accepted} accepted risk, ${s.pass} pass, ${s['not-assessed']} not assessed`);
    expect(complianceHeadline({ ...report, scope: 'repo' })).toMatch(/^CIS Kubernetes Benchmark v1\.10 \(repo\): /);
  });

  it('table: a line per control, with the failing and accepted findings under it, no colour codes when off', () => {
    const text = formatComplianceTable(report, { color: false });
    expect(text).not.toMatch(/\x1b\[/);
    const lines = text.split('\n');
    expect(lines[1]).toBe('mapping 2026.11, generated 2026-11-20T08:00:00.000Z');
    const at = lines.findIndex((l) => /^FAIL +5\.2\.2 /.test(l));
    expect(lines[at]).toMatch(/^FAIL {10}5\.2\.2 {3}Keep privileged containers out {2}\(K8S-001; evidence 2026-11-20T08:00:00\.000Z\)$/);
    expect(lines[at + 1]).toBe('              deploy/web.yaml:14  critical  K8S-001  Deployment/web -n prod · container main · container "main" runs privileged');
    expect(lines[at + 2]).toContain('container sidecar');
    expect(lines[at + 2]).toContain('[accepted by comment: proxy needs iptables, see SEC-42]');
    expect(lines.find((l) => /^NOT ASSESSED +5\.1\.3 /.test(l))).toMatch(/\(nothing in scope: no Role or ClusterRole in the scan(; no audit-log results given)?\)$/);
    expect(formatComplianceTable(report, { color: true })).toContain('\x1b[1;31mFAIL        \x1b[0m');
  });

  it('JSON: framework with mapping version, scope, summary and controls, with findings in the scan output contract', () => {
    const output = JSON.parse(formatComplianceJson(report));
    expect(Object.keys(output)).toEqual(['schemaVersion', 'framework', 'scope', 'generatedAt', 'summary', 'controls']);
    expect(output.schemaVersion).toBe(2);
    expect(output.framework).toEqual({ id: 'cis-k8s', name: 'CIS Kubernetes Benchmark', version: 'v1.10', mappingVersion: '2026.11' });
    expect(output).toMatchObject({ scope: 'all', generatedAt: '2026-11-20T08:00:00.000Z' });
    expect(Object.keys(output.summary)).toEqual(['fail', 'accepted', 'pass', 'not-assessed']);
    const control = output.controls.find((c: { id: string }) => c.id === '5.2.2');
    expect(Object.keys(control)).toEqual(['id', 'title', 'automation', 'status', 'rules', 'reason', 'evidenceAt', 'findingCount', 'acceptedCount', 'findings', 'accepted']);
    expect(control).toMatchObject({ status: 'fail', automation: 'automated', rules: ['K8S-001'], reason: null, evidenceAt: '2026-11-20T08:00:00.000Z', findingCount: 1, acceptedCount: 1 });
    expect(control.findings[0]).toMatchObject({ ruleId: 'K8S-001', location: { file: 'deploy/web.yaml', line: 14 }, suppressed: false, suppression: null });
    expect(control.accepted[0].suppression).toEqual({ source: 'comment', reason: 'proxy needs iptables, see SEC-42', expires: null });
  });

  it('Markdown: status summary, a row per control, failing findings and accepted risks, all escaped', () => {
    const text = formatComplianceMarkdown(report);
    expect(text.startsWith('## CIS Kubernetes Benchmark v1\\.10\n')).toBe(true);
    expect(text).toContain(`| Fail | ${report.summary.fail} |`);
    expect(text).toContain('Scope: all. Mapping 2026\\.11, generated 2026\\-11\\-20T08:00:00\\.000Z.');
    expect(text).toContain('| 5\\.2\\.2 | Keep privileged containers out | Fail | automated | K8S\\-001 | 2 | 2026\\-11\\-20T08:00:00\\.000Z |');
    expect(text).toContain('#### 5\\.2\\.2 Keep privileged containers out');
    expect(text).toContain('| Critical | K8S\\-001 Privileged container | deploy/web\\.yaml:14 | Deployment/web \\-n prod, container main | container "main" runs privileged |');
    expect(text).toContain('### Accepted risks');
    expect(text).toContain('| proxy needs iptables, see SEC\\-42 \\(comment\\) |');
  });

  it('Markdown: untrusted text from the scan cannot inject markup or mentions', () => {
    const evilYaml = yaml.replace('name: web', 'name: "<img src=x onerror=alert(1)>@admin|x"');
    const evil = complianceReport('cis-k8s', scanText(evilYaml, { path: 'deploy/[x](javascript:alert(1)).yaml' }), ['Deployment']);
    const text = formatComplianceMarkdown(evil);
    expect(text).not.toMatch(/<img/);
    expect(text).not.toMatch(/@admin/);
    expect(text).not.toMatch(/(?<!\\)\]\(/);
    const rows = text.split('\n').filter((l) => l.includes('onerror'));
    expect(rows.length).toBeGreaterThan(0);
    const cellCount = (r: string) => r.split(/(?<!\\)\|/).length - 2;
    for (const r of rows) expect(cellCount(r)).toBe(r.startsWith('| 5\\.') ? 6 : 5); // accepted risks start with the control id
    const csv = formatComplianceCsv(evil);
    expect(csv).toContain('<img src=x onerror=alert(1)>@admin|x'); // CSV is data: kept verbatim, quoted where needed
  });
});
