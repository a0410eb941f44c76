import { asMap, asString, type Manifest } from '../manifest.ts';
import { isBinding, isRole, isSystemReserved, rulesOf, type RbacRule } from '../rbac.ts';
import { k8sRule } from '../rule.ts';

const EVERY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** A rule on every resource of every API group with every verb: cluster-admin under another name. */
const isAdminRule = (r: RbacRule) =>
  r.apiGroups.includes('*') && r.resources.includes('*') && (r.verbs.includes('*') || EVERY_VERB.every((v) => r.verbs.includes(v)));

export default k8sRule({
  id: 'K8S-052',
  severity: 'critical',
  title: 'Binding grants cluster-admin',
  description:
    'A RoleBinding or ClusterRoleBinding refers to the ClusterRole cluster-admin, or to a Role/ClusterRole of the scanned set with a rule on every API group and resource with verb "*" or all of get, list, watch, create, update, patch and delete.',
  remediation: 'Bind a role that grants only the permissions the subjects need; keep cluster-admin for break-glass access.',
  compliance: ['CIS-K8S 5.1.1', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  *check({ manifest, ofKind }) {
    if (!isBinding(manifest) || isSystemReserved(manifest)) return;
    const roleRef = asMap(manifest.object.roleRef);
    const kind = asString(roleRef?.kind);
    const name = asString(roleRef?.name);
    if (!kind || !name) return;
    const path = ['roleRef', 'name'];
    if (kind === 'ClusterRole' && name === 'cluster-admin') {
      yield { path, message: 'binds the ClusterRole "cluster-admin"' };
      return;
    }
    const role = ofKind(kind).find((m) => isRole(m) && m.name === name && sameScope(manifest, m));
    const adminRule = role && [...rulesOf(role)].find(isAdminRule);
    if (adminRule) {
      yield { path, message: `binds ${kind} "${name}", whose rules[${adminRule.path[1]}] grants every verb on every resource of every API group` };
    }
  },
});

/** A RoleBinding's Role lives in the binding's namespace (an unknown namespace matches any); ClusterRoles are cluster-wide. */
function sameScope(binding: Manifest, role: Manifest): boolean {
  if (role.kind === 'ClusterRole') return true;
  if (binding.kind !== 'RoleBinding') return false;
  return binding.namespace === null || role.namespace === null || binding.namespace === role.namespace;
}
