import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', name = 'monitoring') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-055 access to nodes/proxy', () => {
  it('fires on any verb on nodes/proxy, on the nodes/proxy line', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - nodes\n  - nodes/proxy\n  verbs: [get, list]\n`);
    const [f, ...rest] = findingsFor('K8S-055', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.message).toBe('rules[0] grants get, list on nodes/proxy in the core group');
    expect(f.location?.line).toBe(8);
  });

  it('fires for unusual verbs, Roles and wildcards', () => {
    expect(findingsFor('K8S-055', role(`- resources: [nodes/proxy]\n  verbs: [patch]\n`, 'Role'))).toHaveLength(1);
    expect(findingsFor('K8S-055', role(`- resources: ["nodes/*"]\n  verbs: [get]\n`))).toHaveLength(1);
    expect(findingsFor('K8S-055', role(`- resources: ["*"]\n  verbs: [create]\n`))).toHaveLength(1);
  });

  it('passes for other node subresources, empty verbs, other groups and system: roles', () => {
    for (const yaml of [
      role(`- resources: [nodes, nodes/metrics, nodes/stats]\n  verbs: [get]\n`),
      role(`- resources: [nodes/proxy]\n  verbs: []\n`),
      role(`- apiGroups: [metrics.k8s.io]\n  resources: [nodes/proxy]\n  verbs: [get]\n`),
      role(`- resources: [nodes/proxy]\n  verbs: ["*"]\n`, 'ClusterRole', 'system:kubelet-api-admin'),
    ]) {
      expect(findingsFor('K8S-055', yaml)).toEqual([]);
    }
  });
});
