import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'Role', name = 'deployer') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-051 can create pods', () => {
  it('fires on create pods in the core group, on the pods line', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - pods\n  verbs: [get, create]\n`);
    const [f, ...rest] = findingsFor('K8S-051', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.message).toBe('rules[0] grants create on pods in the core group');
    expect(f.location?.line).toBe(yaml.split('\n').indexOf('  - pods') + 1);
  });

  it('fires for ClusterRoles and wildcards', () => {
    expect(findingsFor('K8S-051', role(`- resources: ["*"]\n  verbs: [create]\n`, 'ClusterRole'))).toHaveLength(1);
    expect(findingsFor('K8S-051', role(`- apiGroups: ["*"]\n  resources: [pods]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('passes for other verbs, subresources, other groups and system: roles', () => {
    for (const yaml of [
      role(`- resources: [pods]\n  verbs: [get, list, delete]\n`),
      role(`- resources: [pods/eviction]\n  verbs: [create]\n`),
      role(`- apiGroups: [apps]\n  resources: [deployments, pods]\n  verbs: [create]\n`),
      role(`- resources: [pods]\n  verbs: [create]\n`, 'ClusterRole', 'system:controller:job-controller'),
    ]) {
      expect(findingsFor('K8S-051', yaml)).toEqual([]);
    }
  });
});
