import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'Role', name = 'token-issuer') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}", namespace: ci}\nrules:\n${rule}`;

describe('K8S-058 can mint service-account tokens', () => {
  it('fires on create serviceaccounts/token, on its line', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - serviceaccounts/token\n  verbs: [create]\n`);
    const [f, ...rest] = findingsFor('K8S-058', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.message).toBe('rules[0] grants create on serviceaccounts/token in the core group');
    expect(f.location?.line).toBe(7);
  });

  it('fires for ClusterRoles, resourceNames-limited rules and wildcards', () => {
    expect(findingsFor('K8S-058', role(`- resources: [serviceaccounts/token]\n  resourceNames: [builder]\n  verbs: [create]\n`, 'ClusterRole'))).toHaveLength(1);
    expect(findingsFor('K8S-058', role(`- resources: ["serviceaccounts/*"]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('passes for serviceaccounts themselves, other verbs and system: roles', () => {
    for (const yaml of [
      role(`- resources: [serviceaccounts]\n  verbs: [create]\n`),
      role(`- resources: [serviceaccounts/token]\n  verbs: [get]\n`),
      role(`- resources: [serviceaccounts/token]\n  verbs: [create]\n`, 'ClusterRole', 'system:kube-controller-manager'),
    ]) {
      expect(findingsFor('K8S-058', yaml)).toEqual([]);
    }
  });
});
