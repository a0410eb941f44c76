import { describe, expect, it } from 'vitest';
import { findingsFor, scanText } from '../../helpers/scan.ts';

const binding = (kind: string, roleKind: string, roleName: string, extra = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ops-binding
${extra}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${roleKind}
  name: ${roleName}
subjects:
- kind: Group
  name: ops
  apiGroup: rbac.authorization.k8s.io
`;

const role = (kind: string, name: string, rule: string, namespace?: string) => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}rules:
${rule}`;

const ADMIN_RULE = `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n`;

describe('K8S-052 binding grants cluster-admin', () => {
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    it(`fires when a ${kind} refers to the ClusterRole cluster-admin, on the roleRef name line`, () => {
      const yaml = binding(kind, 'ClusterRole', 'cluster-admin');
      const [f, ...rest] = findingsFor('K8S-052', yaml);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expect(f.message).toBe('binds the ClusterRole "cluster-admin"');
      expect(f.location?.line).toBe(8);
    });
  }

  it('fires when the bound ClusterRole of the scanned set grants "*" on everything', () => {
    const yaml = binding('ClusterRoleBinding', 'ClusterRole', 'superuser') + role('ClusterRole', 'superuser', ADMIN_RULE);
    expect(findingsFor('K8S-052', yaml).map((f) => f.message)).toEqual([
      'binds ClusterRole "superuser", whose rules[0] grants every verb on every resource of every API group',
    ]);
  });

  it('fires when the admin rule lists get, list, watch, create, update, patch and delete instead of "*"', () => {
    const rules = `- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: [get, list, watch, create, update, patch, delete]\n`;
    const yaml = binding('ClusterRoleBinding', 'ClusterRole', 'superuser') + role('ClusterRole', 'superuser', rules);
    expect(findingsFor('K8S-052', yaml)[0].message).toContain('rules[1]');
  });

  it('finds the role among context files of a PR scan', () => {
    const yaml = binding('ClusterRoleBinding', 'ClusterRole', 'superuser');
    const result = scanText(yaml, { contextFiles: [{ path: 'rbac/roles.yaml', text: role('ClusterRole', 'superuser', ADMIN_RULE) }] });
    expect(result.findings.filter((f) => f.ruleId === 'K8S-052')).toHaveLength(1);
  });

  it('matches a RoleBinding to a Role of its own namespace only', () => {
    const ns = '  namespace: shop\n';
    expect(findingsFor('K8S-052', binding('RoleBinding', 'Role', 'admin', ns) + role('Role', 'admin', ADMIN_RULE, 'shop'))).toHaveLength(1);
    expect(findingsFor('K8S-052', binding('RoleBinding', 'Role', 'admin', ns) + role('Role', 'admin', ADMIN_RULE, 'other'))).toEqual([]);
    // A ClusterRoleBinding cannot refer to a Role.
    expect(findingsFor('K8S-052', binding('ClusterRoleBinding', 'Role', 'admin') + role('Role', 'admin', ADMIN_RULE))).toEqual([]);
  });

  it('passes for narrower roles, unknown roles and kind mismatches', () => {
    for (const yaml of [
      binding('ClusterRoleBinding', 'ClusterRole', 'view'),
      binding('ClusterRoleBinding', 'ClusterRole', 'reader') + role('ClusterRole', 'reader', `- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: [get, list, watch]\n`),
      // apiGroups omitted is the core group only, not every group.
      binding('ClusterRoleBinding', 'ClusterRole', 'core-admin') + role('ClusterRole', 'core-admin', `- resources: ["*"]\n  verbs: ["*"]\n`),
      binding('RoleBinding', 'Role', 'cluster-admin'),
      binding('ClusterRoleBinding', 'ClusterRole', 'superuser') + role('Role', 'superuser', ADMIN_RULE),
    ]) {
      expect(findingsFor('K8S-052', yaml)).toEqual([]);
    }
  });

  it('leaves system: bindings and malformed roleRefs alone', () => {
    const system = binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin').replace('name: ops-binding', 'name: "system:masters-admin"');
    expect(findingsFor('K8S-052', system)).toEqual([]);
    const malformed = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: [cluster-admin]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: c}\nroleRef: {kind: 5, name: {a: 1}}\n`;
    expect(scanText(malformed).errors).toEqual([]);
    expect(findingsFor('K8S-052', malformed)).toEqual([]);
  });
});
