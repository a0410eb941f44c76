import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../shared/policy/load.ts';
import { scanSources } from '../../shared/scan/engine.ts';
import { fixtureDir, policyDir, scanWith } from './helpers.ts';

const policies = loadPolicies(fixtureDir('valid'));

const deployment = (spec: string, kind = 'Deployment', labels = '{owner: team-a}') =>
  `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: web\n  labels: ${labels}\nspec:\n${spec}  template:\n    spec:\n      containers: [{name: app, image: nginx}]\n`;

describe('Shipwatch policy: replicas >= 2 (ORG-001)', () => {
  it('reports a Deployment and a StatefulSet with one replica, with the policy metadata', () => {
    for (const kind of ['Deployment', 'StatefulSet']) {
      const text = deployment('  replicas: 1\n', kind);
      const [finding, ...rest] = scanWith(policies, text).of('ORG-001');
      expect(rest).toHaveLength(0);
      expect(finding).toMatchObject({
        ruleId: 'ORG-001',
        severity: 'medium',
        title: 'Workloads run at least two replicas',
        message: 'runs 1 replica(s), needs 2', // string(int): the YAML integer reached CEL as an int
        remediation: 'Set spec.replicas to 2 or more.',
        source: 'iac',
        resource: { apiVersion: 'apps/v1', kind, namespace: null, name: 'web' },
      });
      expect(finding.location).toEqual({ file: 'app.yaml', line: 7 }); // the replicas line
    }
  });

  it('passes two or more replicas: YAML integers compare with CEL ints', () => {
    expect(scanWith(policies, deployment('  replicas: 2\n')).of('ORG-001')).toHaveLength(0);
    expect(scanWith(policies, deployment('  replicas: 3\n')).of('ORG-001')).toHaveLength(0);
  });

  it('uses the static message when messageExpression yields nothing, and points at spec when replicas is absent', () => {
    const [finding] = scanWith(policies, deployment('')).of('ORG-001');
    expect(finding.message).toBe('runs a single replica');
    expect(finding.location?.line).toBe(6); // spec:
  });

  it('applies only to the kinds it lists', () => {
    expect(scanWith(policies, deployment('  replicas: 1\n', 'DaemonSet')).of('ORG-001')).toHaveLength(0);
  });

  it('is suppressed like any rule (annotation shipwatch.io/skip) and takes severity overrides from the config', () => {
    const skipped = deployment('  replicas: 1\n').replace('  labels:', '  annotations: {shipwatch.io/skip: ORG-001}\n  labels:');
    expect(scanWith(policies, skipped).of('ORG-001')[0].suppressed).toBe(true);
    const result = scanSources([{ path: 'app.yaml', text: deployment('  replicas: 1\n') }], { policies, config: { severity: { 'ORG-001': 'critical' } } });
    expect(result.findings.find((f) => f.ruleId === 'ORG-001')?.severity).toBe('critical');
  });
});

describe('Shipwatch policy on every kind (ORG-002)', () => {
  it('checks any kind with kinds: ["*"]', () => {
    const configMap = (labels: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n${labels}data: {}\n`;
    expect(scanWith(policies, configMap('')).of('ORG-002').map((f) => f.message)).toEqual(['has no valid owner label']);
    expect(scanWith(policies, configMap('  labels: {owner: Team_A}\n')).of('ORG-002')).toHaveLength(1);
    expect(scanWith(policies, configMap('  labels: {owner: team-a}\n')).of('ORG-002')).toHaveLength(0);
  });
});

describe('Shipwatch policy evaluation errors', () => {
  const strict = `apiVersion: shipwatch.io/v1
kind: ShipwatchPolicy
id: ORG-100
title: Replicas set
severity: high
kinds: [Deployment]
expression: object.spec.replicas >= 2
message: too few replicas
`;

  it('go to the scan errors with the object file and line, and the scan goes on', () => {
    const set = loadPolicies(policyDir({ 'strict.yaml': strict }));
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${deployment('')}---\n${deployment('  replicas: 1\n').replace('name: web', 'name: api')}`;
    const result = scanWith(set, text);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: 'app.yaml', line: 6 });
    expect(result.errors[0].message).toMatch(/^policy ORG-100 \(.*strict\.yaml\): expression "object.spec.replicas >= 2" could not be evaluated: .*replicas.* \(Deployment "web"\)$/);
    expect(result.of('ORG-100').map((f) => f.resource?.name)).toEqual(['api']);
    expect(result.findings.some((f) => f.ruleId.startsWith('K8S-'))).toBe(true);
  });

  it('a result that is not a bool is an error too', () => {
    const set = loadPolicies(policyDir({ 'p.yaml': strict.replace('object.spec.replicas >= 2', 'object.metadata.name') }));
    expect(scanWith(set, deployment('')).errors[0].message).toContain('returned string, expected bool');
  });
});
