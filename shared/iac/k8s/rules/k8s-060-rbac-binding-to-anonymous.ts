import { asArray, asMap, asString } from '../manifest.ts';
import { isBinding, isSystemReserved } from '../rbac.ts';
import { k8sRule } from '../rule.ts';

/** Built-in identities that stand for everybody, or that bypass RBAC altogether. */
const BROAD_IDENTITIES: Record<string, string> = {
  'system:anonymous': 'any anonymous request',
  'system:unauthenticated': 'every unauthenticated request',
  'system:authenticated': 'every authenticated user',
  'system:masters': 'the group that bypasses every authorization check',
};

export default k8sRule({
  id: 'K8S-060',
  severity: 'critical',
  title: 'Binding to anonymous, all-authenticated or system:masters',
  description:
    'A RoleBinding or ClusterRoleBinding has a User or Group subject named system:anonymous, system:unauthenticated, system:authenticated or system:masters.',
  remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
  compliance: ['CIS-K8S 5.1.7', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  *check({ manifest }) {
    if (!isBinding(manifest) || isSystemReserved(manifest)) return;
    const subjects = asArray(manifest.object.subjects);
    for (let i = 0; i < subjects.length; i++) {
      const subject = asMap(subjects[i]);
      const kind = asString(subject?.kind);
      const name = asString(subject?.name);
      if ((kind !== 'User' && kind !== 'Group') || !name || !Object.hasOwn(BROAD_IDENTITIES, name)) continue;
      yield { path: ['subjects', i, 'name'], message: `binds ${kind} "${name}" (${BROAD_IDENTITIES[name]})` };
    }
  },
});
