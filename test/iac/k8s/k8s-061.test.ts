import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', namespace?: string, name = 'iam-mapper') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: "${name}"\n${namespace ? `  namespace: ${namespace}\n` : ''}rules:\n${rule}`;

describe('K8S-061 can modify the EKS aws-auth ConfigMap', () => {
  for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
    it(`fires when a ClusterRole grants ${verb} on configmaps`, () => {
      const [f, ...rest] = findingsFor('K8S-061', role(`- resources: [configmaps]\n  verbs: [get, ${verb}]\n`));
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expect(f.message).toBe(`rules[0] grants ${verb} on every ConfigMap, aws-auth included`);
    });
  }

  it('fires for a Role in kube-system, on the configmaps line', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - configmaps\n  verbs: [update, patch]\n`, 'Role', 'kube-system');
    const [f] = findingsFor('K8S-061', yaml);
    expect(f.message).toBe('rules[0] grants update, patch on every ConfigMap, aws-auth included');
    expect(f.location?.line).toBe(yaml.split('\n').indexOf('  - configmaps') + 1);
  });

  it('fires when resourceNames lists aws-auth, and on wildcards', () => {
    expect(findingsFor('K8S-061', role(`- resources: [configmaps]\n  resourceNames: [coredns, aws-auth]\n  verbs: [patch]\n`))[0].message).toBe(
      'rules[0] grants patch on the aws-auth ConfigMap',
    );
    expect(findingsFor('K8S-061', role(`- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n`, 'Role', 'kube-system'))).toHaveLength(1);
  });

  it('passes when resourceNames leave aws-auth out, for read-only access, other groups and system: roles', () => {
    for (const yaml of [
      role(`- resources: [configmaps]\n  resourceNames: [coredns]\n  verbs: [update]\n`),
      role(`- resources: [configmaps]\n  verbs: [get, list, watch]\n`),
      role(`- apiGroups: [example.com]\n  resources: [configmaps]\n  verbs: [update]\n`),
      role(`- resources: [configmaps]\n  verbs: [update]\n`, 'ClusterRole', undefined, 'system:controller:bootstrap-signer'),
    ]) {
      expect(findingsFor('K8S-061', yaml)).toEqual([]);
    }
  });

  it('passes for Roles outside kube-system or with no namespace set', () => {
    expect(findingsFor('K8S-061', role(`- resources: [configmaps]\n  verbs: [update]\n`, 'Role', 'shop'))).toEqual([]);
    expect(findingsFor('K8S-061', role(`- resources: [configmaps]\n  verbs: [update]\n`, 'Role'))).toEqual([]);
  });
});
