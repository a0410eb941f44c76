import { describe, expect, it } from 'vitest';
import type { ComplianceFramework } from '../../shared/compliance/framework.ts';
import { complianceReport, type ComplianceReport } from '../../shared/compliance/report.ts';
import { storedComplianceReport } from '../../shared/compliance/stored.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import { summarize } from '../../shared/findings/finding.ts';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import type { RuleMeta } from '../../shared/rules/registry.ts';
import { finding, scanRecord } from '../store/support.ts';

const rule = (id: string, engine: RuleMeta['engine'], refs: string[] = []): RuleMeta => ({ id, engine, severity: 'high', title: id, description: '', remediation: '', compliance: refs });
const RULES = [rule('K8S-901', 'k8s', ['TEST 1', 'TEST 4']), rule('IMG-901', 'image', ['TEST 2']), rule('AUDIT-901', 'audit'), rule('AUDIT-902', 'audit'), rule('EKS-901', 'k8s')];
const FRAMEWORK: ComplianceFramework = {
  id: 'test',
  name: 'Test',
  version: '1',
  mappingVersion: '2026.1',
  refPrefix: 'TEST ',
  controls: [
    { id: '1', title: 'manifests', automation: 'automated' },
    { id: '2', title: 'images', automation: 'partial' },
    { id: '3', title: 'logging and monitoring', rules: ['AUDIT-9*'], automation: 'partial' },
    { id: '4', title: 'manifests and audit', rules: ['AUDIT-902'], automation: 'partial' },
    { id: '5', title: 'cloud', rules: ['EKS-901'], automation: 'automated' },
  ],
};

const statusOf = (report: ComplianceReport) => Object.fromEntries(report.controls.map((c) => [c.id, c.status]));
const control = (report: ComplianceReport, id: string) => report.controls.find((c) => c.id === id)!;

describe('compliance over stored findings', () => {
  it('fails on open findings, accepts suppressed ones with who and why, and passes where the source ran clean', async () => {
    const store = await LocalFindingStore.open({ dir: null, now: () => new Date('2026-11-20T10:00:00Z') });
    const repo = { repo: 'github:acme/shop', ref: 'main' };
    await store.applyScan(repo, [finding('a', { ruleId: 'K8S-901' }), finding('b', { ruleId: 'K8S-901' })], scanRecord('2026-11-18T10:00:00Z'));
    await store.applyScan(repo, [finding('a', { ruleId: 'K8S-901' })], scanRecord('2026-11-19T10:00:00Z'));
    await store.upsert({ cluster: 'prod' }, [finding('exec', { ruleId: 'AUDIT-901', source: 'audit', location: null })]);
    const [exec] = (await store.query({ cluster: 'prod' })).items;
    await store.suppress(exec.fingerprint, 'alice@example.com', 'break-glass session INC-42', '2026-12-31');

    const all: StoredFinding[] = [];
    await store.visit({}, (f) => all.push(f));
    const report = storedComplianceReport(FRAMEWORK, all, { rules: RULES, now: () => new Date('2026-11-21T00:00:00Z') });
    expect(statusOf(report)).toEqual({ '1': 'fail', '2': 'not-assessed', '3': 'accepted', '4': 'fail', '5': 'not-assessed' });
    expect(control(report, '1')).toMatchObject({ rules: ['K8S-901'], evidenceAt: '2026-11-19T10:00:00.000Z' });
    expect(control(report, '1').findings.map((f) => f.resource?.name)).toEqual(['a']);
    const accepted = control(report, '3').accepted[0] as StoredFinding;
    expect(accepted).toMatchObject({ suppressedBy: 'alice@example.com', suppressedReason: 'break-glass session INC-42', suppressedUntil: '2026-12-31' });
    expect(control(report, '3')).toMatchObject({ rules: ['AUDIT-901', 'AUDIT-902'], evidenceAt: '2026-11-20T10:00:00.000Z' });
    // K8S-901 cites control 4 as well: its open finding fails it; AUDIT-902 ran (audit findings exist) and found nothing.
    expect(control(report, '4')).toMatchObject({ status: 'fail', rules: ['K8S-901', 'AUDIT-902'], evidenceAt: '2026-11-20T10:00:00.000Z' });
    expect(control(report, '2').reason).toBe('nothing in scope: no findings stored from image scans or registry scan results for IMG rules');
    // Repositories were scanned, but no EKS finding shows that a Terraform or CloudFormation template was among them.
    expect(control(report, '5').reason).toBe('nothing in scope: no findings stored from repository scans or posture scans for EKS rules');
    expect(report.generatedAt).toBe('2026-11-21T00:00:00.000Z');
  });

  it('counts resolved findings as evidence that their source ran, not as findings', () => {
    const resolved = { ...stored('K8S-901', 'iac'), status: 'resolved' as const, resolvedAt: '2026-11-10T00:00:00.000Z' };
    const report = storedComplianceReport(FRAMEWORK, [resolved], { rules: RULES });
    expect(control(report, '1')).toMatchObject({ status: 'pass', findings: [], evidenceAt: '2026-11-10T00:00:00.000Z' });
  });

  it('maps findings of rules this process never registered by their id', () => {
    const report = storedComplianceReport(FRAMEWORK, [stored('AUDIT-977', 'audit')], { rules: [] });
    expect(control(report, '3')).toMatchObject({ status: 'fail', rules: ['AUDIT-977'] });
    expect(control(report, '1').reason).toBe('no rule checks this control');
  });
});

describe('report scope', () => {
  const result = (findings: Finding[]) => ({ schemaVersion: 1 as const, findings, errors: [], notices: [], summary: summarize(findings) });
  const mixed = [finding('a', { ruleId: 'K8S-901' }), finding('i', { ruleId: 'IMG-901', source: 'image', location: null }), finding('x', { ruleId: 'AUDIT-901', source: 'audit', location: null })];

  it('keeps only the findings and rules of the scope', () => {
    const options = { rules: RULES, resultSources: ['image', 'audit'] as const, scannedAt: '2026-11-20T00:00:00.000Z' };
    const all = complianceReport(FRAMEWORK, result(mixed), ['Pod'], { ...options, resultSources: [...options.resultSources] });
    expect(statusOf(all)).toEqual({ '1': 'fail', '2': 'fail', '3': 'fail', '4': 'fail', '5': 'not-assessed' });
    expect(all.scope).toBe('all');

    const repo = complianceReport(FRAMEWORK, result(mixed), ['Pod'], { ...options, resultSources: [...options.resultSources], scope: 'repo' });
    expect(statusOf(repo)).toEqual({ '1': 'fail', '2': 'not-assessed', '3': 'not-assessed', '4': 'fail', '5': 'not-assessed' });
    expect(control(repo, '2').reason).toBe('no rule of this control reports repo findings (IMG-901)');
    expect(control(repo, '4').rules).toEqual(['K8S-901']);
    expect(control(repo, '5').reason).toBe('nothing in scope: no Terraform or CloudFormation templates in the scan');

    const image = complianceReport(FRAMEWORK, result(mixed), ['Pod'], { ...options, resultSources: [...options.resultSources], scope: 'image' });
    expect(statusOf(image)).toEqual({ '1': 'not-assessed', '2': 'fail', '3': 'not-assessed', '4': 'not-assessed', '5': 'not-assessed' });
    expect(control(image, '2')).toMatchObject({ evidenceAt: '2026-11-20T00:00:00.000Z' });
    expect(image.controls.flatMap((c) => c.findings).every((f) => f.source === 'image')).toBe(true);

    const cluster = complianceReport(FRAMEWORK, result([]), [], { ...options, resultSources: [], scope: 'cluster' });
    expect(control(cluster, '3').reason).toBe('nothing in scope: no audit-log results given');
  });
});

function stored(ruleId: string, source: StoredFinding['source']): StoredFinding {
  const f = finding(ruleId, { ruleId, source, location: null });
  return {
    ...f,
    findingFingerprint: f.fingerprint,
    scope: { cluster: 'prod' },
    scopeKey: 'cluster:prod',
    status: 'open',
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-11-02T00:00:00.000Z',
    resolvedAt: null,
    suppressedBy: null,
    suppressedReason: null,
    suppressedUntil: null,
    url: null,
  };
}
