import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const object = (apiVersion: string, kind: string, namespace?: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n${namespace !== undefined ? `  namespace: ${namespace}\n` : ''}`;

describe('K8S-047 object in the default namespace', () => {
  it.each([
    ['v1', 'Pod'],
    ['apps/v1', 'Deployment'],
    ['batch/v1', 'CronJob'],
    ['v1', 'Service'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'ServiceAccount'],
    ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['example.com/v1', 'Widget'],
  ])('fires on %s %s with namespace: default, on the namespace line', (apiVersion, kind) => {
    const yaml = object(apiVersion, kind, 'default');
    const [f, ...rest] = findingsFor('K8S-047', yaml);
    expect(rest).toHaveLength(0);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(lineOf(yaml, 'namespace: default'));
  });

  it('passes objects without a namespace or in another namespace', () => {
    expect(findingsFor('K8S-047', object('apps/v1', 'Deployment'))).toEqual([]);
    expect(findingsFor('K8S-047', object('apps/v1', 'Deployment', 'team'))).toEqual([]);
    expect(findingsFor('K8S-047', object('apps/v1', 'Deployment', 'default-team'))).toEqual([]);
    expect(findingsFor('K8S-047', object('apps/v1', 'Deployment', '""'))).toEqual([]);
  });

  it.each([
    ['v1', 'Namespace'],
    ['v1', 'Node'],
    ['v1', 'PersistentVolume'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
    ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['networking.k8s.io/v1', 'IngressClass'],
    ['node.k8s.io/v1', 'RuntimeClass'],
  ])('passes cluster-scoped %s %s even with namespace: default', (apiVersion, kind) => {
    expect(findingsFor('K8S-047', object(apiVersion, kind, 'default'))).toEqual([]);
  });

  it('learns cluster-scoped custom kinds from a CustomResourceDefinition in the scanned set', () => {
    const crd = (scope: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: clusterissuers.cert-manager.io\nspec:\n  group: cert-manager.io\n  scope: ${scope}\n  names: {kind: ClusterIssuer, plural: clusterissuers}\n---\n`;
    const issuer = object('cert-manager.io/v1', 'ClusterIssuer', 'default');
    expect(findingsFor('K8S-047', crd('Cluster') + issuer)).toEqual([]);
    expect(findingsFor('K8S-047', crd('Namespaced') + issuer)).toHaveLength(1);
    expect(findingsFor('K8S-047', crd('Cluster') + object('other.io/v1', 'ClusterIssuer', 'default'))).toHaveLength(1);
  });

  it('accepts extra cluster-scoped kinds as an option', () => {
    const config = { ruleOptions: { 'K8S-047': { clusterScopedKinds: ['ClusterIssuer'] } } };
    expect(findingsFor('K8S-047', object('cert-manager.io/v1', 'ClusterIssuer', 'default'), { config })).toEqual([]);
    expect(findingsFor('K8S-047', object('cert-manager.io/v1', 'Issuer', 'default'), { config })).toHaveLength(1);
  });

  it('reports each object of a multi-document file', () => {
    const yaml = `${object('v1', 'Service', 'default')}---\n${object('v1', 'Namespace', 'default')}---\n${object('v1', 'ConfigMap', 'default')}`;
    expect(findingsFor('K8S-047', yaml).map((f) => f.resource?.kind)).toEqual(['Service', 'ConfigMap']);
  });
});
