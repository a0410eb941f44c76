import { asArray } from '../manifest.ts';
import { isRole, isSystemReserved, rulesOf } from '../rbac.ts';
import { k8sRule } from '../rule.ts';

export default k8sRule({
  id: 'K8S-049',
  severity: 'high',
  title: 'Wildcard in RBAC rules',
  description: 'A Role or ClusterRole rule has "*" in verbs or in resources (a "*" only in apiGroups does not count).',
  remediation: 'List the verbs and resources the subject needs instead of "*".',
  compliance: ['CIS-K8S 5.1.3', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  *check({ manifest }) {
    if (!isRole(manifest) || isSystemReserved(manifest)) return;
    for (const rule of rulesOf(manifest)) {
      const wildcardIn = (['verbs', 'resources'] as const).filter((field) => rule[field].includes('*'));
      if (wildcardIn.length === 0) continue;
      // Point at the first "*" entry so the finding lands on its line.
      const field = wildcardIn[0];
      const index = asArray(rule.raw[field]).indexOf('*');
      yield { path: [...rule.path, field, index], message: `rules[${rule.path[1]}] has "*" in ${wildcardIn.join(' and ')}` };
    }
  },
});
