import { describe, expect, it } from 'vitest';
import type { ComplianceFramework } from '../../shared/compliance/framework.ts';
import { complianceReport, DOCKERFILE_KIND, FILE_KIND, scannedKindsOf, type ComplianceReport } from '../../shared/compliance/report.ts';
import { summarize, type Finding } from '../../shared/findings/finding.ts';
import type { RuleMeta } from '../../shared/rules/registry.ts';
import type { ScanResult } from '../../shared/scan/result.ts';
import { scanText } from '../helpers/scan.ts';

const deployment = (securityContext: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod${annotations}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: main
        image: nginx:1.27
        securityContext: ${securityContext}
`;

function controlOf(report: ComplianceReport, id: string) {
  const c = report.controls.find((x) => x.id === id);
  if (!c) throw new Error(`no control ${id}`);
  return c;
}

function cisReport(yaml: string) {
  const result = scanText(yaml, { path: 'deploy/web.yaml' });
  return complianceReport('cis-k8s', result, scannedKindsOf([{ path: 'deploy/web.yaml', text: yaml }]));
}

describe('complianceReport with the real rules', () => {
  it('fails a control when one of its rules has an unsuppressed finding, and lists that finding', () => {
    const report = cisReport(deployment('{privileged: true}'));
    const c = controlOf(report, '5.2.2');
    expect(c.status).toBe('fail');
    expect(c.rules).toContain('K8S-001');
    expect(c.findings.map((f) => [f.ruleId, f.container, f.location?.line])).toEqual([['K8S-001', 'main', 13]]);
    expect(c.accepted).toEqual([]);
    expect(c.reason).toBeNull();
    expect(report.framework).toEqual({ id: 'cis-k8s', name: 'CIS Kubernetes Benchmark', version: 'v1.10', mappingVersion: '2026.11' });
  });

  it('accepts a control whose only failing findings are suppressed, keeping their reasons', () => {
    const annotations = '\n  annotations:\n    shipwatch.io/skip: K8S-001\n    shipwatch.io/skip-reason: node agent, reviewed by security';
    const c = controlOf(cisReport(deployment('{privileged: true}', annotations)), '5.2.2');
    expect(c.status).toBe('accepted');
    expect(c.findings).toEqual([]);
    expect(c.accepted.map((f) => f.suppression?.reason)).toEqual(['node agent, reviewed by security']);
  });

  it('passes a control whose rules evaluated the scanned workloads and found nothing', () => {
    const report = cisReport(deployment('{privileged: false}'));
    expect(controlOf(report, '5.2.2')).toMatchObject({ status: 'pass', findings: [], accepted: [] });
    expect(controlOf(report, '5.1.6')).toMatchObject({ status: 'pass', rules: ['K8S-030'] });
  });

  it('marks Kubernetes controls not assessed when no Kubernetes objects were scanned', () => {
    const dockerfile = 'FROM alpine:3.20\nUSER 10001\n';
    const result = scanText(dockerfile, { path: 'Dockerfile' });
    const kinds = scannedKindsOf([{ path: 'Dockerfile', text: dockerfile }]);
    const c = controlOf(complianceReport('cis-k8s', result, kinds), '5.2.2');
    expect(c.status).toBe('not-assessed');
    expect(c.rules).toEqual([]);
    expect(c.reason).toMatch(/^nothing in scope: no workloads in the scan/);
  });

  it('marks RBAC controls not assessed when only workloads were scanned', () => {
    const c = controlOf(cisReport(deployment('{privileged: false}')), '5.1.3');
    expect(c.status).toBe('not-assessed');
    expect(c.reason).toContain('no Role or ClusterRole in the scan');
  });

  it('counts controls per status', () => {
    const report = cisReport(deployment('{privileged: true}'));
    const counted = { fail: 0, accepted: 0, pass: 0, 'not-assessed': 0 };
    for (const c of report.controls) counted[c.status]++;
    expect(report.summary).toEqual(counted);
    expect(report.controls.map((c) => c.id).slice(0, 3)).toEqual(['5.1.1', '5.1.2', '5.1.3']);
  });

  it('reports every framework by id and refuses unknown ones', () => {
    const yaml = deployment('{privileged: true}');
    const result = scanText(yaml);
    for (const [framework, control] of [['nist-800-190', '4.4.3'], ['pci-dss', '2.2.6'], ['nsa-cisa', 'Pod security: hardening container environments']]) {
      const c = controlOf(complianceReport(framework, result, ['Deployment']), control);
      expect(c.status, framework).toBe('fail');
      expect(c.findings.some((f) => f.ruleId === 'K8S-001')).toBe(true);
    }
    expect(() => complianceReport('sox', result, [])).toThrow(/unknown compliance framework "sox"/);
  });
});

describe('complianceReport statuses (synthetic framework and rules)', () => {
  const rule = (id: string, engine: RuleMeta['engine'], ref: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
    id,
    engine,
    severity: 'high',
    title: id,
    description: '',
    remediation: '',
    compliance: [`TEST ${ref}`],
    ...extra,
  });
  const rules = [
    rule('T-K8S', 'k8s', '1'),
    rule('T-DOCKER', 'docker', '2'),
    rule('T-SECRET', 'secret', '3'),
    rule('T-OFF', 'k8s', '4', { offByDefault: true }),
    rule('T-MANUAL', 'k8s', '6'),
  ];
  const framework: ComplianceFramework = {
    id: 'test',
    name: 'Test framework',
    version: '1',
    mappingVersion: '1',
    refPrefix: 'TEST ',
    controls: [
      { id: '1', title: 'kubernetes', automation: 'automated' },
      { id: '2', title: 'dockerfile', automation: 'partial' },
      { id: '3', title: 'secrets', automation: 'automated' },
      { id: '4', title: 'opt-in', automation: 'automated' },
      { id: '5', title: 'unmapped', automation: 'automated' },
      { id: '6', title: 'manual', automation: 'manual' },
    ],
  };
  const finding = (ruleId: string, suppressed = false): Finding => ({
    ruleId,
    severity: 'high',
    title: ruleId,
    message: `${ruleId} fired`,
    remediation: '',
    fingerprint: 'f'.repeat(64),
    source: 'iac',
    location: { file: 'x.yaml', line: 1 },
    resource: null,
    container: null,
    compliance: [],
    suppressed,
    suppression: suppressed ? { source: 'config', reason: 'accepted until the rewrite', expires: '2030-01-01' } : null,
  });
  const resultOf = (findings: Finding[]): ScanResult => ({ schemaVersion: 1, findings, errors: [], notices: [], summary: summarize(findings) });
  const statuses = (report: ComplianceReport) => Object.fromEntries(report.controls.map((c) => [c.id, c.status]));

  it('judges each control by engine scope, findings and suppressions', () => {
    const report = complianceReport(framework, resultOf([finding('T-DOCKER', true)]), ['Deployment', DOCKERFILE_KIND, FILE_KIND], { rules });
    expect(statuses(report)).toEqual({ '1': 'pass', '2': 'accepted', '3': 'pass', '4': 'not-assessed', '5': 'not-assessed', '6': 'not-assessed' });
    expect(report.summary).toEqual({ fail: 0, accepted: 1, pass: 2, 'not-assessed': 3 });
    const reasons = Object.fromEntries(report.controls.map((c) => [c.id, c.reason]));
    expect(reasons['4']).toBe('its rules are disabled (T-OFF)');
    expect(reasons['5']).toBe('no rule checks this control');
    expect(reasons['6']).toBe('manual control: no automated check');
  });

  it('fails when unsuppressed and suppressed findings mix, keeping both lists', () => {
    const report = complianceReport(framework, resultOf([finding('T-K8S'), finding('T-K8S', true)]), ['Pod'], { rules });
    const c = report.controls[0];
    expect(c.status).toBe('fail');
    expect(c.findings).toHaveLength(1);
    expect(c.accepted).toHaveLength(1);
  });

  it('names the missing input of each engine', () => {
    const report = complianceReport(framework, resultOf([]), [], { rules });
    expect(report.controls.slice(0, 3).map((c) => c.reason)).toEqual([
      'nothing in scope: no Kubernetes objects in the scan',
      'nothing in scope: no Dockerfiles in the scan',
      'nothing in scope: no files in the scan',
    ]);
  });

  it('treats a rule that reported findings as in scope whatever the scanned kinds say', () => {
    expect(statuses(complianceReport(framework, resultOf([finding('T-K8S')]), [], { rules }))['1']).toBe('fail');
  });

  it('follows the repository configuration: disabled rules and opt-in rules', () => {
    const kinds = ['Pod'];
    const disabled = complianceReport(framework, resultOf([]), kinds, { rules, config: { disable: ['T-K8S'] } });
    expect(disabled.controls[0]).toMatchObject({ status: 'not-assessed', reason: 'its rules are disabled (T-K8S)' });
    const enabled = complianceReport(framework, resultOf([]), kinds, { rules, config: { enable: ['T-OFF'] } });
    expect(enabled.controls[3]).toMatchObject({ status: 'pass', rules: ['T-OFF'] });
  });
});

describe('scannedKindsOf', () => {
  it('collects Kubernetes kinds (List items included), Dockerfiles and readable files', () => {
    const kinds = scannedKindsOf([
      { path: 'a.yaml', text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\n' },
      { path: 'b.json', text: '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}' },
      { path: 'build/Dockerfile.prod', text: 'FROM alpine:3.20\n' },
      { path: 'README.md', text: '# hi' },
      { path: 'big.yaml', readError: 'too large' },
      { path: 'chart/templates/d.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n' },
      { path: '-', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', stdin: true },
    ]);
    expect([...kinds].sort()).toEqual([DOCKERFILE_KIND, FILE_KIND, 'Namespace', 'Pod', 'Role', 'Service'].sort());
  });

  it('is empty when nothing could be read', () => {
    expect(scannedKindsOf([{ path: 'x.yaml', readError: 'binary file' }]).size).toBe(0);
  });
});
