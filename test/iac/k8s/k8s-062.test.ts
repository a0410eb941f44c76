import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind, scanText } from '../../helpers/scan.ts';

const POD = `containers:\n- name: main\n  image: nginx:1.27\n`;

/** Every workload kind with pod labels {app: app}, in namespace `shop` unless told otherwise. */
function workloads(namespace: string | null = 'shop'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(POD))) {
    out[kind] = namespace === null ? yaml : yaml.replace('metadata:\n  name: app\n', `metadata:\n  name: app\n  namespace: ${namespace}\n`);
  }
  return out;
}

const policy = (spec: string, namespace: string | null = 'shop', apiVersion = 'networking.k8s.io/v1') => `---
apiVersion: ${apiVersion}
kind: NetworkPolicy
metadata:
  name: np
${namespace === null ? '' : `  namespace: ${namespace}\n`}spec:
${spec}`;

const DENY_ALL = policy(`  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`);
const INGRESS_ONLY = policy(`  podSelector: {}\n  ingress:\n  - from: [{podSelector: {}}]\n`);

const deployment = workloads().Deployment;

describe('K8S-062 workload not isolated by a NetworkPolicy', () => {
  for (const [kind, yaml] of Object.entries(workloads())) {
    it(`fires for a ${kind} that no policy isolates for Egress, on the pod labels line`, () => {
      const text = yaml + INGRESS_ONLY;
      const [f, ...rest] = findingsFor('K8S-062', text);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('medium');
      expect(f.message).toBe('no NetworkPolicy of namespace "shop" in the scanned set selects its pods for Egress');
      expect(f.resource?.kind).toBe(kind);
      expect(f.location?.line).toBe(text.split('\n').findIndex((l) => l.includes('labels: {app: app}')) + 1);
    });

    it(`passes for a ${kind} under a default-deny policy`, () => {
      expect(findingsFor('K8S-062', yaml + DENY_ALL)).toEqual([]);
    });
  }

  it('is not evaluated for a namespace with no NetworkPolicy in the scanned set', () => {
    expect(findingsFor('K8S-062', deployment)).toEqual([]);
    expect(findingsFor('K8S-062', deployment + DENY_ALL.replace('namespace: shop', 'namespace: other'))).toEqual([]);
  });

  it('is evaluated everywhere with ruleOptions requireEverywhere: true', () => {
    const config = { ruleOptions: { 'K8S-062': { requireEverywhere: true } } };
    expect(findingsFor('K8S-062', deployment, { config }).map((f) => f.message)).toEqual([
      'no NetworkPolicy of namespace "shop" in the scanned set selects its pods for Ingress or Egress',
    ]);
    expect(findingsFor('K8S-062', deployment + DENY_ALL, { config })).toEqual([]);
  });

  it('rejects invalid options', () => {
    expect(() => scanText(deployment, { config: { ruleOptions: { 'K8S-062': { requireEverywhere: 'yes' } } } })).toThrow(/K8S-062\.requireEverywhere/);
    expect(() => scanText(deployment, { config: { ruleOptions: { 'K8S-062': { everywhere: true } } } })).toThrow(/K8S-062/);
  });

  it('ignores policies of other namespaces once the namespace is evaluated', () => {
    const text = deployment + INGRESS_ONLY + policy(`  podSelector: {}\n  policyTypes: [Egress]\n`, 'other');
    expect(findingsFor('K8S-062', text).map((f) => f.message)).toEqual([
      'no NetworkPolicy of namespace "shop" in the scanned set selects its pods for Egress',
    ]);
  });

  it('matches a workload without namespace only against policies without namespace', () => {
    const bare = workloads(null).Deployment;
    expect(findingsFor('K8S-062', bare + DENY_ALL)).toEqual([]); // no policy for the "unknown" namespace: not evaluated
    expect(findingsFor('K8S-062', bare + policy(`  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`, null))).toEqual([]);
    expect(findingsFor('K8S-062', bare + policy(`  podSelector: {}\n  policyTypes: [Ingress]\n`, null)).map((f) => f.message)).toEqual([
      'no NetworkPolicy with no namespace set in the scanned set selects its pods for Egress',
    ]);
    expect(findingsFor('K8S-062', deployment + policy(`  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`, null))).toEqual([]);
  });

  it('combines several selecting policies: one for Ingress, one for Egress', () => {
    const text = deployment + policy(`  podSelector: {matchLabels: {app: app}}\n  policyTypes: [Ingress]\n`) + policy(`  podSelector: {}\n  policyTypes: [Egress]\n`);
    expect(findingsFor('K8S-062', text)).toEqual([]);
  });

  describe('policyTypes defaulting', () => {
    it('reads an omitted policyTypes as Ingress plus Egress when egress rules are present', () => {
      const text = deployment + policy(`  podSelector: {}\n  egress:\n  - to: [{namespaceSelector: {}}]\n`);
      expect(findingsFor('K8S-062', text)).toEqual([]);
    });

    it('reads an omitted (or empty) policyTypes without egress rules as Ingress only', () => {
      for (const spec of [`  podSelector: {}\n`, `  podSelector: {}\n  policyTypes: []\n  egress: []\n`]) {
        expect(findingsFor('K8S-062', deployment + policy(spec)).map((f) => f.message)).toEqual([
          'no NetworkPolicy of namespace "shop" in the scanned set selects its pods for Egress',
        ]);
      }
    });

    it('honours explicit policyTypes even when rules of the other direction are present', () => {
      const text = deployment + policy(`  podSelector: {}\n  policyTypes: [Egress]\n  ingress:\n  - from: [{podSelector: {}}]\n`);
      expect(findingsFor('K8S-062', text)[0].message).toContain('for Ingress');
    });
  });

  describe('podSelector', () => {
    const isolatedBy = (selector: string) =>
      findingsFor('K8S-062', deployment + policy(`  podSelector: ${selector}\n  policyTypes: [Ingress, Egress]\n`)).length === 0;

    it('matchLabels must all match the pod labels', () => {
      expect(isolatedBy('{matchLabels: {app: app}}')).toBe(true);
      expect(isolatedBy('{matchLabels: {app: other}}')).toBe(false);
      expect(isolatedBy('{matchLabels: {app: app, tier: web}}')).toBe(false);
    });

    it('matchExpressions In, NotIn, Exists and DoesNotExist', () => {
      expect(isolatedBy('{matchExpressions: [{key: app, operator: In, values: [app, api]}]}')).toBe(true);
      expect(isolatedBy('{matchExpressions: [{key: app, operator: In, values: [api]}]}')).toBe(false);
      expect(isolatedBy('{matchExpressions: [{key: tier, operator: In, values: [web]}]}')).toBe(false);
      expect(isolatedBy('{matchExpressions: [{key: app, operator: NotIn, values: [api]}]}')).toBe(true);
      expect(isolatedBy('{matchExpressions: [{key: app, operator: NotIn, values: [app]}]}')).toBe(false);
      expect(isolatedBy('{matchExpressions: [{key: tier, operator: NotIn, values: [web]}]}')).toBe(true); // absent label
      expect(isolatedBy('{matchExpressions: [{key: app, operator: Exists}]}')).toBe(true);
      expect(isolatedBy('{matchExpressions: [{key: tier, operator: Exists}]}')).toBe(false);
      expect(isolatedBy('{matchExpressions: [{key: tier, operator: DoesNotExist}]}')).toBe(true);
      expect(isolatedBy('{matchExpressions: [{key: app, operator: DoesNotExist}]}')).toBe(false);
    });

    it('requires matchLabels and matchExpressions together', () => {
      expect(isolatedBy('{matchLabels: {app: app}, matchExpressions: [{key: app, operator: Exists}]}')).toBe(true);
      expect(isolatedBy('{matchLabels: {app: app}, matchExpressions: [{key: tier, operator: Exists}]}')).toBe(false);
    });

    it('treats invalid selectors as selecting nothing', () => {
      expect(isolatedBy('{matchExpressions: [{key: app, operator: Matches, values: [app]}]}')).toBe(false);
      expect(isolatedBy('{matchLabels: [app]}')).toBe(false);
      expect(isolatedBy('app')).toBe(false);
    });
  });

  it('finds policies among context files of a PR scan', () => {
    const result = scanText(deployment, { contextFiles: [{ path: 'netpol/deny.yaml', text: DENY_ALL }] });
    expect(result.findings.filter((f) => f.ruleId === 'K8S-062')).toEqual([]);
    const open = scanText(deployment, { contextFiles: [{ path: 'netpol/ingress.yaml', text: INGRESS_ONLY }] });
    expect(open.findings.filter((f) => f.ruleId === 'K8S-062')).toHaveLength(1);
  });

  it('accepts extensions/v1beta1 policies and ignores other NetworkPolicy kinds (Calico)', () => {
    expect(findingsFor('K8S-062', deployment + policy(`  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`, 'shop', 'extensions/v1beta1'))).toEqual([]);
    const calico = policy(`  selector: all()\n  types: [Ingress, Egress]\n`, 'shop', 'projectcalico.org/v3');
    expect(findingsFor('K8S-062', deployment + calico)).toEqual([]);
    expect(findingsFor('K8S-062', deployment + INGRESS_ONLY + calico)[0].message).toContain('for Egress');
  });

  it('does not report objects that run no pods', () => {
    const service = `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: app}\n  ports: [{port: 80}]\n`;
    expect(findingsFor('K8S-062', service + INGRESS_ONLY)).toEqual([]);
  });
});
