import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../shared/policy/load.ts';
import { PolicyError } from '../../shared/policy/policy.ts';
import { deploymentPolicy, fixtureDir, policyDir, scanWith } from './helpers.ts';

const shipwatchPolicy = (fields: Record<string, string>) =>
  Object.entries({
    apiVersion: 'shipwatch.io/v1',
    kind: 'ShipwatchPolicy',
    id: 'ORG-001',
    title: 'A title',
    severity: 'low',
    kinds: '[Deployment]',
    expression: '"true"',
    message: 'a message',
    ...fields,
  })
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n') + '\n';

/** The PolicyError loading a folder throws. */
function loadError(dir: string): PolicyError {
  try {
    loadPolicies(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    expect((e as Error).name).toBe('PolicyError'); // what the CLI recognises
    return e as PolicyError;
  }
  throw new Error(`loading ${dir} did not fail`);
}

describe('loadPolicies: expressions that do not compile', () => {
  it('names the file, line, key and expression', () => {
    const error = loadError(fixtureDir('broken-expression'));
    expect(error.file).toMatch(/broken-expression\/policy\.yaml$/);
    expect(error.line).toBe(14);
    expect(error.message).toMatch(/broken-expression\/policy\.yaml:14: spec\.validations\[1\]\.expression: expression "object\.spec\.replicas >=" does not compile: /);
  });

  it.each([
    ['undeclared name', 'objet.spec.replicas > 1', "undeclared reference to 'objet'"],
    ['unknown function', "quantity('1Gi').isGreaterThan(quantity('1Mi'))", "unknown function 'quantity'"],
    ['variables in a Shipwatch policy', 'variables.x', "undeclared reference to 'variables'"],
    ['optional field syntax', 'object.?spec.orValue(1) != null', 'does not compile'],
  ])('%s', (_label, expression, problem) => {
    const error = loadError(policyDir({ 'p.yaml': shipwatchPolicy({ expression: JSON.stringify(expression) }) }));
    expect(error.message).toContain(`expression: expression ${JSON.stringify(expression)} does not compile`);
    expect(error.message).toContain(problem);
  });

  it('checks messageExpression, matchConditions and variables too', () => {
    const messageError = loadError(policyDir({ 'p.yaml': shipwatchPolicy({ messageExpression: '"nope(1)"' }) }));
    expect(messageError.message).toContain("messageExpression: expression \"nope(1)\" does not compile: unknown function 'nope'");
    const condition = deploymentPolicy('c', '  matchConditions:\n    - name: a\n      expression: "variables.x"\n  validations:\n    - expression: "true"\n');
    expect(loadError(policyDir({ 'c.yaml': condition })).message).toContain('spec.matchConditions[0].expression');
  });

  it('lets a variable read only the variables declared before it', () => {
    const forward = deploymentPolicy(
      'forward',
      '  variables:\n    - name: a\n      expression: variables.b\n    - name: b\n      expression: "1"\n  validations:\n    - expression: variables.a == 1\n',
    );
    const error = loadError(policyDir({ 'f.yaml': forward }));
    expect(error.message).toContain('spec.variables[0].expression');
    expect(error.message).toContain('variables.b is not declared before this expression');
    const typo = deploymentPolicy('typo', '  variables:\n    - name: count\n      expression: "1"\n  validations:\n    - expression: variables.cuont == 1\n');
    expect(loadError(policyDir({ 't.yaml': typo })).message).toContain('variables.cuont is not declared before this expression (declared: count)');
  });
});

describe('loadPolicies: invalid policy files', () => {
  it('names the file and the key (zod validation)', () => {
    const error = loadError(fixtureDir('invalid-policy'));
    expect(error.message).toMatch(/invalid-policy\/policy\.yaml:5: severity: /);
    expect(error.message).toContain('"critical"');
  });

  it('reports missing and unknown keys of a Shipwatch policy', () => {
    expect(loadError(policyDir({ 'p.yaml': shipwatchPolicy({ expression: '' }) })).message).toMatch(/p\.yaml:1: expression: /);
    expect(loadError(policyDir({ 'p.yaml': shipwatchPolicy({ expresion: 'x' }) })).message).toContain('unknown key "expresion"');
    expect(loadError(policyDir({ 'p.yaml': shipwatchPolicy({ kinds: '[]' }) })).message).toContain('kinds: ');
    expect(loadError(policyDir({ 'p.yaml': shipwatchPolicy({ id: '"vap/mine"' }) })).message).toContain('ids starting with vap/');
  });

  it('refuses an id of a built-in rule and an id defined twice', () => {
    expect(loadError(policyDir({ 'p.yaml': shipwatchPolicy({ id: 'K8S-001' }) })).message).toContain('K8S-001 is a built-in rule id');
    const twice = loadError(policyDir({ 'a.yaml': shipwatchPolicy({}), 'b.yaml': shipwatchPolicy({}) }));
    expect(twice.message).toMatch(/b\.yaml:1: .*policy ORG-001 is also defined in .*a\.yaml/);
    const vapTwice = deploymentPolicy('same', '  validations:\n    - expression: "true"\n');
    expect(loadError(policyDir({ 'a.yaml': `${vapTwice}---\n${vapTwice}` })).message).toContain('policy vap/same is also defined');
  });

  it('validates admission policies and bindings like the API server', () => {
    const noRules = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: x\nspec:\n  validations:\n    - expression: "true"\n';
    expect(loadError(policyDir({ 'x.yaml': noRules })).message).toContain('spec.matchConstraints');
    const noOperations = deploymentPolicy('x', '  validations:\n    - expression: "true"\n').replace('        operations: ["CREATE"]\n', '');
    expect(loadError(policyDir({ 'x.yaml': noOperations })).message).toContain('spec.matchConstraints.resourceRules[0].operations');
    expect(loadError(policyDir({ 'x.yaml': deploymentPolicy('x', '') })).message).toContain('a policy needs validations');
    const badVariable = deploymentPolicy('x', '  variables:\n    - name: my-var\n      expression: "1"\n  validations:\n    - expression: "true"\n');
    expect(loadError(policyDir({ 'x.yaml': badVariable })).message).toContain('spec.variables[0].name');
    const badSeverity = deploymentPolicy('x', '  validations:\n    - expression: "true"\n').replace('  name: x\n', '  name: x\n  annotations: {shipwatch.io/severity: severe}\n');
    expect(loadError(policyDir({ 'x.yaml': badSeverity })).message).toContain('metadata.annotations.shipwatch.io/severity: expected one of');
    const badBinding = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: x\n  validationActions: [Block]\n';
    expect(loadError(policyDir({ 'b.yaml': badBinding })).message).toMatch(/b\.yaml:7: spec\.validationActions\[0\]: /);
  });

  it('refuses documents that are not policies, and broken YAML', () => {
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n';
    expect(loadError(policyDir({ 'c.yaml': configMap })).message).toMatch(/c\.yaml:2: kind: "ConfigMap" is not a policy kind/);
    expect(loadError(policyDir({ 'l.yaml': '- a\n- b\n' })).message).toContain('not a policy object');
    expect(loadError(policyDir({ 'y.yaml': 'kind: ShipwatchPolicy\nid: [unclosed\n' })).message).toMatch(/y\.yaml:\d+: invalid YAML/);
  });

  it('reports a folder that does not exist', () => {
    const missing = join(policyDir({}), 'nope');
    expect(loadError(missing).message).toBe(`${missing}: cannot read policies: no such file or directory`);
  });
});

describe('loadPolicies: folders and files', () => {
  it('reads YAML and JSON files in subfolders, ignores other files, accepts an empty folder', () => {
    const dir = policyDir({
      'README.md': '# our policies',
      'team/a.yml': shipwatchPolicy({ id: 'ORG-A', expression: '"false"' }),
      'team/b.json': JSON.stringify({ apiVersion: 'shipwatch.io/v1', kind: 'ShipwatchPolicy', id: 'ORG-B', title: 'B', severity: 'info', kinds: ['Deployment'], expression: 'false', message: 'b' }),
    });
    const result = scanWith(loadPolicies(dir), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n');
    expect(result.findings.filter((f) => f.ruleId.startsWith('ORG-')).map((f) => f.ruleId).sort()).toEqual(['ORG-A', 'ORG-B']);
    expect(loadPolicies(policyDir({})).skipped).toEqual([]);
  });

  it('accepts the path of a single policy file', () => {
    const dir = policyDir({ 'one.yaml': shipwatchPolicy({ expression: '"false"' }) });
    const result = scanWith(loadPolicies(join(dir, 'one.yaml')), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n');
    expect(result.of('ORG-001')).toHaveLength(1);
  });
});
