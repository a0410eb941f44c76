import { describe, expect, it } from 'vitest';
import { readManifests } from '../../shared/scan/engine.ts';
import { admissionTarget, matchesResources, selectorMatches, type MatchResources, type ResourceRule } from '../../shared/policy/match.ts';
import { groupVersionOf, resourceOf } from '../../shared/policy/resources.ts';

function target(yaml: string, namespaces: Record<string, Record<string, string>> = {}) {
  const [manifest] = readManifests({ path: 'm.yaml' }, 'yaml', yaml, []);
  const scanned = new Map(Object.entries(namespaces).map(([name, labels]) => [name, { metadata: { name, labels } }]));
  return admissionTarget(manifest, scanned);
}

const deployment = target('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web, tier: frontend}\n');
const rule = (overrides: Partial<ResourceRule> = {}): ResourceRule => ({
  apiGroups: ['apps'],
  apiVersions: ['v1'],
  resources: ['deployments'],
  operations: ['CREATE'],
  ...overrides,
});
const matches = (match: MatchResources, t = deployment) => matchesResources(match, t);

describe('resourceOf and groupVersionOf', () => {
  it.each([
    ['Deployment', 'deployments', true],
    ['Ingress', 'ingresses', true],
    ['NetworkPolicy', 'networkpolicies', true],
    ['Endpoints', 'endpoints', true],
    ['ClusterRole', 'clusterroles', false],
    ['Namespace', 'namespaces', false],
    ['StorageClass', 'storageclasses', false],
  ])('%s is %s', (kind, resource, namespaced) => {
    expect(resourceOf(kind)).toEqual({ resource, namespaced });
  });

  it.each([
    ['Database', 'databases'],
    ['Policy', 'policies'],
    ['Gateway', 'gateways'],
    ['Mailbox', 'mailboxes'],
    ['Address', 'addresses'],
    ['Batch', 'batches'],
    ['HTTPRoute', 'httproutes'],
  ])('guesses the plural of the custom kind %s: %s', (kind, resource) => {
    expect(resourceOf(kind)).toEqual({ resource, namespaced: null });
  });

  it('splits apiVersion', () => {
    expect(groupVersionOf('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(groupVersionOf('v1')).toEqual({ group: '', version: 'v1' });
    expect(groupVersionOf('networking.k8s.io/v1beta1')).toEqual({ group: 'networking.k8s.io', version: 'v1beta1' });
  });
});

describe('resource rules: a scanned object is a CREATE of its main resource', () => {
  it('matches group, resource and CREATE (or *)', () => {
    expect(matches({ resourceRules: [rule()] })).toBe(true);
    expect(matches({ resourceRules: [rule({ operations: ['*'] })] })).toBe(true);
    expect(matches({ resourceRules: [rule({ operations: ['UPDATE', 'DELETE'] })] })).toBe(false);
    expect(matches({ resourceRules: [rule({ apiGroups: [''] })] })).toBe(false);
    expect(matches({ resourceRules: [rule({ apiGroups: ['*'], resources: ['*'] })] })).toBe(true);
    expect(matches({ resourceRules: [rule({ resources: ['statefulsets'] }), rule()] })).toBe(true);
  });

  it('matches subresource wildcards only when they cover the main resource', () => {
    expect(matches({ resourceRules: [rule({ resources: ['deployments/status'] })] })).toBe(false);
    expect(matches({ resourceRules: [rule({ resources: ['deployments/*'] })] })).toBe(false);
    expect(matches({ resourceRules: [rule({ resources: ['*/*'] })] })).toBe(true);
  });

  it('compares versions only under matchPolicy Exact (Equivalent converts)', () => {
    expect(matches({ resourceRules: [rule({ apiVersions: ['v1beta2'] })] })).toBe(true);
    expect(matches({ resourceRules: [rule({ apiVersions: ['v1beta2'] })], matchPolicy: 'Equivalent' })).toBe(true);
    expect(matches({ resourceRules: [rule({ apiVersions: ['v1beta2'] })], matchPolicy: 'Exact' })).toBe(false);
    expect(matches({ resourceRules: [rule({ apiVersions: ['*'] })], matchPolicy: 'Exact' })).toBe(true);
  });

  it('honours scope and resourceNames', () => {
    expect(matches({ resourceRules: [rule({ scope: 'Namespaced' })] })).toBe(true);
    expect(matches({ resourceRules: [rule({ scope: 'Cluster' })] })).toBe(false);
    expect(matches({ resourceRules: [rule({ resourceNames: ['web', 'api'] })] })).toBe(true);
    expect(matches({ resourceRules: [rule({ resourceNames: ['api'] })] })).toBe(false);
    const crd = target('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n');
    const widgets = (scope: ResourceRule['scope']) => rule({ apiGroups: ['example.com'], resources: ['widgets'], scope });
    expect(matches({ resourceRules: [widgets('Cluster')] }, crd)).toBe(true); // scope of an unknown kind is unknown
    expect(matches({ resourceRules: [widgets('Namespaced')] }, crd)).toBe(true);
  });

  it('leaves out excluded resources; a binding without resourceRules does not constrain', () => {
    expect(matches({ resourceRules: [rule({ resources: ['*'] })], excludeResourceRules: [rule()] })).toBe(false);
    expect(matches({})).toBe(true);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend' };

  it('matchLabels and every matchExpressions operator', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'api' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
  });

  it('objectSelector reads the object labels', () => {
    expect(matches({ objectSelector: { matchLabels: { tier: 'frontend' } } })).toBe(true);
    expect(matches({ objectSelector: { matchLabels: { tier: 'backend' } } })).toBe(false);
  });

  it('namespaceSelector reads a scanned Namespace, and matches when the Namespace is not scanned', () => {
    const prod = { namespaceSelector: { matchLabels: { env: 'prod' } } };
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n';
    expect(matches(prod, target(yaml, { shop: { env: 'prod' } }))).toBe(true);
    expect(matches(prod, target(yaml, { shop: { env: 'dev' } }))).toBe(false);
    expect(matches(prod, target(yaml))).toBe(true);
    // A Namespace is matched on its own labels; other cluster-scoped objects always match.
    expect(matches(prod, target('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels: {env: dev}\n'))).toBe(false);
    expect(matches(prod, target('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n'))).toBe(true);
  });
});
