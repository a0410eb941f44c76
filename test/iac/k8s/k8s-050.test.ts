import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'Role', name = 'app') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}", namespace: shop}\nrules:\n${rule}`;

describe('K8S-050 read access to Secrets', () => {
  for (const verb of ['get', 'list', 'watch']) {
    it(`fires on ${verb} secrets in the core group, on the secrets line`, () => {
      const yaml = role(`- apiGroups: [""]\n  resources:\n  - configmaps\n  - secrets\n  verbs: [${verb}]\n`);
      const [f, ...rest] = findingsFor('K8S-050', yaml);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expect(f.message).toBe(`rules[0] grants ${verb} on secrets in the core group`);
      expect(f.location?.line).toBe(yaml.split('\n').indexOf('  - secrets') + 1);
    });
  }

  it('fires for ClusterRoles, omitted apiGroups, wildcards and resourceNames-limited rules', () => {
    const rules = [
      `- resources: [secrets]\n  verbs: [get, list]\n`,
      `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n`,
      `- resources: [secrets]\n  resourceNames: [tls-cert]\n  verbs: [get]\n`,
    ];
    for (const rule of rules) expect(findingsFor('K8S-050', role(rule, 'ClusterRole'))).toHaveLength(1);
    expect(findingsFor('K8S-050', role(rules[0]))[0].message).toBe('rules[0] grants get, list on secrets in the core group');
    expect(findingsFor('K8S-050', role(rules[1]))[0].message).toBe('rules[0] grants every verb (*) on secrets in the core group');
  });

  it('reports each granting rules entry', () => {
    const yaml = role(`- resources: [secrets]\n  verbs: [get]\n- resources: [pods]\n  verbs: [get]\n- resources: [secrets]\n  verbs: [watch]\n`);
    expect(findingsFor('K8S-050', yaml).map((f) => f.message)).toEqual([
      'rules[0] grants get on secrets in the core group',
      'rules[2] grants watch on secrets in the core group',
    ]);
  });

  it('passes for write-only verbs, other groups, other resources and system: roles', () => {
    for (const yaml of [
      role(`- resources: [secrets]\n  verbs: [create, update, delete]\n`),
      role(`- apiGroups: [example.com]\n  resources: [secrets]\n  verbs: [get]\n`),
      role(`- resources: [configmaps, secrets/status]\n  verbs: [get]\n`),
      role(`- resources: [secrets]\n  verbs: [get]\n`, 'ClusterRole', 'system:kube-controller-manager'),
    ]) {
      expect(findingsFor('K8S-050', yaml)).toEqual([]);
    }
  });
});
