import { asArray, asMap } from '../manifest.ts';
import { k8sRule, type K8sHit } from '../rule.ts';

const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'];

export default k8sRule({
  id: 'K8S-032',
  severity: 'medium',
  title: 'Default ServiceAccount not locked down',
  description:
    'A ServiceAccount named "default" does not set automountServiceAccountToken: false, or a RoleBinding/ClusterRoleBinding grants permissions to a ServiceAccount named "default".',
  remediation: 'Set automountServiceAccountToken: false on every default ServiceAccount and bind roles only to dedicated ServiceAccounts.',
  compliance: ['CIS-K8S 5.1.5', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.2', 'NIST-800-190 4.3.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'PCI-DSS 2.2.2', 'MITRE T1528', 'MITRE T1552.007', 'MITRE T1078.001'],
  *check({ manifest: m }): Iterable<K8sHit> {
    if (m.kind === 'ServiceAccount' && m.name === 'default' && m.object.automountServiceAccountToken !== false) {
      yield { path: ['automountServiceAccountToken'], message: 'the default ServiceAccount does not set automountServiceAccountToken: false' };
    }
    if (BINDING_KINDS.includes(m.kind)) {
      const subjects = asArray(m.object.subjects);
      for (let i = 0; i < subjects.length; i++) {
        const subject = asMap(subjects[i]);
        if (subject?.kind === 'ServiceAccount' && subject.name === 'default') {
          yield { path: ['subjects', i], message: `${m.kind} grants its role to a "default" ServiceAccount` };
        }
      }
    }
  },
});
