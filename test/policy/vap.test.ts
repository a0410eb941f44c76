import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../shared/policy/load.ts';
import { deploymentPolicy, fixtureDir, policyDir, scanWith } from './helpers.ts';

const policies = loadPolicies(fixtureDir('valid'));

interface WorkloadOptions {
  kind?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  replicas?: number;
  /** YAML list items (each starting with "- "), indented by the builder. */
  containers?: string;
}

function workload({ kind = 'Deployment', name = 'web', namespace, labels, replicas, containers }: WorkloadOptions = {}): string {
  const items = (containers ?? '- name: app\n  image: registry.example.com/app@sha256:abc\n  securityContext: {runAsNonRoot: true}')
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  return [
    'apiVersion: apps/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    ...(labels ? [`  labels: ${JSON.stringify(labels)}`] : []),
    'spec:',
    ...(replicas !== undefined ? [`  replicas: ${replicas}`] : []),
    '  template:',
    '    spec:',
    '      containers:',
    items,
    '',
  ].join('\n');
}

describe('ValidatingAdmissionPolicy: runAsNonRoot on all containers', () => {
  const id = 'vap/require-run-as-non-root';

  it('reports a Deployment with a container that does not set runAsNonRoot', () => {
    const text = workload({ containers: '- name: app\n  image: nginx\n  securityContext: {runAsNonRoot: true}\n- name: sidecar\n  image: envoy' });
    const [finding, ...rest] = scanWith(policies, text).of(id);
    expect(rest).toHaveLength(0);
    expect(finding.severity).toBe('high');
    expect(finding.title).toBe('ValidatingAdmissionPolicy require-run-as-non-root');
    expect(finding.message).toBe('every container must set securityContext.runAsNonRoot to true (reason: Forbidden)');
    expect(finding.resource).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: null, name: 'web' });
    // The expression reads object.spec.template.spec.containers: the finding points at that line.
    expect(finding.location).toEqual({ file: 'app.yaml', line: text.split('\n').indexOf('      containers:') + 1 });
  });

  it('reports runAsNonRoot: false and a StatefulSet, not a compliant Deployment', () => {
    expect(scanWith(policies, workload({ containers: '- name: app\n  image: nginx\n  securityContext: {runAsNonRoot: false}' })).of(id)).toHaveLength(1);
    expect(scanWith(policies, workload({ kind: 'StatefulSet', containers: '- name: app\n  image: nginx' })).of(id)).toHaveLength(1);
    expect(scanWith(policies, workload()).of(id)).toHaveLength(0);
  });

  it('does not apply to kinds outside its resource rules', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n';
    expect(scanWith(policies, pod).of(id)).toHaveLength(0);
  });
});

describe('ValidatingAdmissionPolicy: variables and messageExpression', () => {
  const id = 'vap/trusted-registry';

  it('builds the message from variables; a Warn/Audit binding makes it medium', () => {
    const text = workload({ containers: '- name: app\n  image: nginx\n- name: ok\n  image: registry.example.com/ok:1\n- name: sidecar\n  image: envoy' });
    const findings = scanWith(policies, text).of(id);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('medium');
    expect(findings[0].message).toBe('containers app, sidecar pull from outside registry.example.com');
  });

  it('passes when every image comes from the registry', () => {
    expect(scanWith(policies, workload()).of(id)).toHaveLength(0);
  });

  it('evaluates a variable only when an expression reads it, and once per object', () => {
    const dir = policyDir({
      'lazy.yaml': deploymentPolicy(
        'lazy',
        `  variables:
    - name: broken
      expression: object.spec.missing.field
    - name: count
      expression: size(object.spec.template.spec.containers)
    - name: twice
      expression: variables.count * 2
  validations:
    - expression: variables.twice == 2
      messageExpression: "'has ' + string(variables.count) + ' containers (' + string(variables.twice) + ' halves)'"
`,
      ),
    });
    const set = loadPolicies(dir);
    expect(scanWith(set, workload()).of('vap/lazy')).toHaveLength(0);
    const two = workload({ containers: '- name: a\n  image: x\n- name: b\n  image: y' });
    const result = scanWith(set, two);
    expect(result.of('vap/lazy').map((f) => f.message)).toEqual(['has 2 containers (4 halves)']);
    expect(result.errors).toEqual([]);
  });

  it('turns a variable that cannot be evaluated into an evaluation error of the expression reading it', () => {
    const dir = policyDir({
      'broken-variable.yaml': deploymentPolicy(
        'broken-variable',
        `  variables:
    - name: broken
      expression: object.spec.missing.field
  validations:
    - expression: variables.broken == 'x'
`,
      ),
    });
    const [finding] = scanWith(loadPolicies(dir), workload()).of('vap/broken-variable');
    expect(finding.message).toMatch(/^expression "variables.broken == 'x'" could not be evaluated: .*missing.*; failurePolicy Fail rejects the object$/);
  });

  it('falls back to message (or "failed expression") when messageExpression errors, is blank or spans lines', () => {
    const dir = policyDir({
      'fallback.yaml': deploymentPolicy(
        'fallback',
        `  validations:
    - expression: "false"
      message: static message
      messageExpression: object.spec.nothing
    - expression: "false"
      messageExpression: "'   '"
    - expression: "false"
      message: two lines are refused
      messageExpression: "'first\\\\nsecond'"
    - expression: "1 == 2"
`,
      ),
    });
    const messages = scanWith(loadPolicies(dir), workload()).of('vap/fallback').map((f) => f.message);
    expect(messages.sort()).toEqual(['failed expression: 1 == 2', 'failed expression: false', 'static message', 'two lines are refused']);
  });
});

describe('ValidatingAdmissionPolicy: matchConditions', () => {
  const id = 'vap/team-label';

  it('checks objects when every condition holds; each validation is its own finding', () => {
    const missing = scanWith(policies, workload({ namespace: 'shop' })).of(id);
    expect(missing.map((f) => f.message)).toEqual(['the team label is missing']);
    expect(missing[0].severity).toBe('low'); // shipwatch.io/severity annotation
    expect(missing[0].title).toBe('Workloads carry a team label');
    expect(missing[0].remediation).toBe('Add metadata.labels.team.');
    const upper = scanWith(policies, workload({ labels: { team: 'Payments' } })).of(id);
    expect(upper.map((f) => f.message)).toEqual(['the team label must be lowercase']);
    expect(scanWith(policies, workload({ labels: { team: 'payments' } })).of(id)).toHaveLength(0);
  });

  it('skips the policy when a condition is false', () => {
    expect(scanWith(policies, workload({ namespace: 'kube-system' })).of(id)).toHaveLength(0);
    expect(scanWith(policies, workload({ labels: { exempt: 'true' } })).of(id)).toHaveLength(0);
    expect(scanWith(policies, workload({ labels: { exempt: 'false' } })).of(id)).toHaveLength(1);
  });

  it('applies failurePolicy when a condition cannot be evaluated and none is false', () => {
    const noReplicas = scanWith(policies, workload());
    const [failed] = noReplicas.of('vap/scaled-needs-pdb-label');
    expect(failed.message).toMatch(/^match condition "scaled" could not be evaluated: .*replicas.*; failurePolicy Fail rejects the object$/);
    expect(noReplicas.of('vap/scaled-needs-pdb-label-lenient')).toHaveLength(0);

    const scaled = scanWith(policies, workload({ replicas: 3 }));
    expect(scaled.of('vap/scaled-needs-pdb-label').map((f) => f.message)).toEqual(['scaled deployments need the pdb label']);
    expect(scaled.of('vap/scaled-needs-pdb-label-lenient')).toHaveLength(1);
    expect(scanWith(policies, workload({ replicas: 1 })).of('vap/scaled-needs-pdb-label')).toHaveLength(0);
  });

  it('keeps a condition-error finding distinct from the validation findings', () => {
    const conditionFailure = scanWith(policies, workload()).of('vap/scaled-needs-pdb-label')[0];
    const validationFailure = scanWith(policies, workload({ replicas: 3 })).of('vap/scaled-needs-pdb-label')[0];
    expect(conditionFailure.fingerprint).not.toBe(validationFailure.fingerprint);
  });
});

describe('ValidatingAdmissionPolicy: failurePolicy on validation errors', () => {
  it('Fail reports the error as a violation; Ignore skips it', () => {
    const result = scanWith(policies, workload());
    const [failed] = result.of('vap/replica-ceiling');
    expect(failed.severity).toBe('high');
    expect(failed.message).toMatch(/^expression "object.spec.replicas <= 10" could not be evaluated: .*replicas.*; failurePolicy Fail rejects the object$/);
    expect(result.of('vap/replica-ceiling-lenient')).toHaveLength(0);
    expect(result.errors).toEqual([]);
  });

  it('both report a real violation (v1 and v1beta1 policies)', () => {
    const result = scanWith(policies, workload({ replicas: 20 }));
    expect(result.of('vap/replica-ceiling').map((f) => f.message)).toEqual(['at most 10 replicas']);
    expect(result.of('vap/replica-ceiling-lenient').map((f) => f.message)).toEqual(['at most 10 replicas']);
    expect(scanWith(policies, workload({ replicas: 10 })).of('vap/replica-ceiling')).toHaveLength(0);
  });

  it('treats a result that is not a bool as an evaluation error', () => {
    const dir = policyDir({ 'not-bool.yaml': deploymentPolicy('not-bool', '  validations:\n    - expression: object.metadata.name\n') });
    const [finding] = scanWith(loadPolicies(dir), workload()).of('vap/not-bool');
    expect(finding.message).toContain('returned string, expected bool');
  });
});

describe('ValidatingAdmissionPolicy: policies that cannot run offline', () => {
  it('reports a policy with paramKind as skipped and never evaluates it', () => {
    expect(policies.skipped).toContainEqual({
      file: expect.stringMatching(/valid\/params\.yaml$/),
      name: 'vap/max-replicas-from-params',
      reason: expect.stringContaining('spec.paramKind: ConfigMap'),
    });
    expect(scanWith(policies, workload({ replicas: 100 })).of('vap/max-replicas-from-params')).toHaveLength(0);
  });

  it('reports a policy that calls the authorizer as skipped', () => {
    expect(policies.skipped).toContainEqual({
      file: expect.stringMatching(/valid\/authorizer\.yaml$/),
      name: 'vap/only-admins-privileged',
      reason: expect.stringContaining('authorizer'),
    });
  });
});

describe('ValidatingAdmissionPolicy: request, oldObject, params, namespaceObject', () => {
  it('sees a CREATE of the object by an empty user, with null oldObject and params', () => {
    const dir = policyDir({
      'request.yaml': deploymentPolicy(
        'request',
        `  validations:
    - expression: >-
        request.operation == 'CREATE' && request.kind.kind == 'Deployment' && request.kind.group == 'apps' &&
        request.resource.resource == 'deployments' && request.resource.version == 'v1' &&
        request.name == 'web' && request.namespace == 'shop' && size(request.userInfo) == 0 &&
        oldObject == null && params == null && namespaceObject.metadata.labels.env == 'prod'
      message: unexpected request
`,
      ),
    });
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {env: prod}\n---\n';
    expect(scanWith(loadPolicies(dir), namespace + workload({ namespace: 'shop' })).of('vap/request')).toHaveLength(0);
  });
});

describe('ValidatingAdmissionPolicy: selectors and excluded resources', () => {
  const id = 'vap/prod-frontends-pin-images';
  const namespaces = [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {env: prod}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n  labels: {env: dev}\n',
  ].join('---\n');
  const unpinned = (namespace: string, labels: Record<string, string>) =>
    `${namespaces}---\n${workload({ namespace, labels, containers: '- name: app\n  image: nginx:1.25' })}`;

  it('matches objects whose scanned Namespace has the labels and whose own labels match', () => {
    expect(scanWith(policies, unpinned('prod', { tier: 'frontend' })).of(id).map((f) => f.message)).toEqual(['images must be pinned by digest']);
    expect(scanWith(policies, unpinned('prod', { tier: 'edge' })).of(id)).toHaveLength(1);
  });

  it('does not match when the Namespace labels or the object labels do not match', () => {
    expect(scanWith(policies, unpinned('dev', { tier: 'frontend' })).of(id)).toHaveLength(0);
    expect(scanWith(policies, unpinned('prod', { tier: 'backend' })).of(id)).toHaveLength(0);
    expect(scanWith(policies, unpinned('prod', { tier: 'frontend', legacy: 'yes' })).of(id)).toHaveLength(0);
    expect(scanWith(policies, unpinned('prod', {})).of(id)).toHaveLength(0);
  });

  it('treats the namespace selector as matching when the Namespace is not among the scanned files', () => {
    expect(scanWith(policies, unpinned('staging', { tier: 'frontend' })).of(id)).toHaveLength(1);
    const noNamespace = workload({ labels: { tier: 'frontend' }, containers: '- name: app\n  image: nginx' });
    expect(scanWith(policies, noNamespace).of(id)).toHaveLength(1);
  });

  it('leaves out excludeResourceRules matches', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: prod\n  labels: {tier: frontend}\nspec:\n  ports: [{port: 80}]\n';
    expect(scanWith(policies, `${namespaces}---\n${service}`).of(id)).toHaveLength(0);
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: prod\n  labels: {tier: frontend}\nspec:\n  containers: [{name: a, image: nginx}]\n';
    expect(scanWith(policies, `${namespaces}---\n${pod}`).of(id)).toHaveLength(0); // matched, and compliant: no template
  });
});

describe('ValidatingAdmissionPolicy: resource names from kinds', () => {
  const id = 'vap/described';
  const object = (apiVersion: string, kind: string, namespace = true) =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n${namespace ? '  namespace: app\n' : ''}`;

  it.each([
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['example.com/v1', 'Database'],
    ['example.com/v1', 'Policy'],
    ['example.com/v1', 'WidgetClass'],
  ])('matches %s %s by its plural resource', (apiVersion, kind) => {
    expect(scanWith(policies, object(apiVersion, kind)).of(id)).toHaveLength(1);
  });

  it('honours the rule scope: ClusterRole (cluster-scoped) matches, Role (namespaced) does not', () => {
    expect(scanWith(policies, object('rbac.authorization.k8s.io/v1', 'ClusterRole', false)).of(id)).toHaveLength(1);
    expect(scanWith(policies, object('rbac.authorization.k8s.io/v1', 'Role')).of(id)).toHaveLength(0);
  });

  it('does not match other groups or resources', () => {
    expect(scanWith(policies, object('example.com/v1', 'Widget')).of(id)).toHaveLength(0); // widgets is not listed
    expect(scanWith(policies, object('other.example.com/v1', 'Database')).of(id)).toHaveLength(0);
    expect(scanWith(policies, `${object('networking.k8s.io/v1', 'Ingress')}  annotations: {description: public entry}\n`).of(id)).toHaveLength(0);
  });
});

describe('ValidatingAdmissionPolicy: Kubernetes CEL library functions', () => {
  const id = 'vap/port-hygiene';
  const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: ${ports}\n`;
  const messages = (ports: string) => scanWith(policies, service(ports)).of(id).map((f) => f.message);

  it('passes a tidy Service', () => {
    expect(messages('[{port: 80, name: http}, {port: 443, name: https-alt}]')).toEqual([]);
  });

  it('isSorted, min, max and sum on lists', () => {
    expect(messages('[{port: 443}, {port: 80}]')).toEqual(['ports are not listed in order']);
    expect(messages('[{port: 80}, {port: 10443}]')).toEqual(['ports must be between 1 and 9999']);
    expect(messages('[{port: 9000}, {port: 9001}, {port: 9002}]')).toEqual(['ports add up to 27003']);
  });

  it('string functions and list indexOf', () => {
    expect(messages('[{port: 80, name: Web_UI}]')).toEqual(['port names are lowercase with at most one dash']);
    expect(messages('[{port: 80, name: a-b-c}]')).toEqual(['port names are lowercase with at most one dash']);
    expect(messages('[{port: 22}, {port: 80}]')).toEqual(['port 22 is at index 0']);
  });
});

describe('ValidatingAdmissionPolicy bindings', () => {
  const policy = deploymentPolicy('bound', '  validations:\n    - expression: "false"\n      message: always\n');
  const binding = (name: string, actions: string, matchResources = '') =>
    `---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: ${name}\nspec:\n  policyName: bound\n  validationActions: ${actions}\n${matchResources}`;

  it('sets the severity from the actions: Deny high, Warn medium, Audit low; the strongest binding wins', () => {
    const severity = (bindings: string) => scanWith(loadPolicies(policyDir({ 'p.yaml': policy + bindings })), workload()).of('vap/bound')[0]?.severity;
    expect(severity('')).toBe('high');
    expect(severity(binding('a', '[Audit]'))).toBe('low');
    expect(severity(binding('w', '[Warn]'))).toBe('medium');
    expect(severity(binding('a', '[Audit]') + binding('d', '[Deny]'))).toBe('high');
  });

  it('applies only where some binding matchResources selects the object', () => {
    const onlyFrontends = binding('frontends', '[Deny]', '  matchResources:\n    objectSelector:\n      matchLabels: {tier: frontend}\n');
    const set = loadPolicies(policyDir({ 'policy.yaml': policy, 'binding.yaml': onlyFrontends.slice(4) }));
    expect(scanWith(set, workload({ labels: { tier: 'frontend' } })).of('vap/bound')).toHaveLength(1);
    expect(scanWith(set, workload({ labels: { tier: 'backend' } })).of('vap/bound')).toHaveLength(0);
  });

  it('ignores bindings of policies that are not in the folder', () => {
    const stray = binding('stray', '[Deny]').replace('policyName: bound', 'policyName: elsewhere').slice(4);
    const set = loadPolicies(policyDir({ 'stray.yaml': stray }));
    expect(set.skipped).toEqual([]);
    expect(set.evaluate([]).hits).toEqual([]);
  });
});
