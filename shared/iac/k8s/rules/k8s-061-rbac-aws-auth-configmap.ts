import { CORE_GROUP, grants, isRole, isSystemReserved, resourcePath, rulesOf } from '../rbac.ts';
import { k8sRule } from '../rule.ts';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

export default k8sRule({
  id: 'K8S-061',
  severity: 'critical',
  title: 'Can modify the EKS aws-auth ConfigMap',
  description:
    'A ClusterRole, or a Role in namespace kube-system, grants create, update, patch, delete or deletecollection on configmaps with no resourceNames or with aws-auth among them: on EKS, aws-auth maps IAM identities to cluster groups.',
  remediation: 'Remove write access to configmaps in kube-system, or list resourceNames that exclude aws-auth; manage aws-auth (or EKS access entries) outside the cluster.',
  compliance: ['NSA-CISA Protecting sensitive cloud infrastructure', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  *check({ manifest }) {
    if (!isRole(manifest) || isSystemReserved(manifest)) return;
    if (manifest.kind === 'Role' && manifest.namespace !== 'kube-system') return;
    for (const rule of rulesOf(manifest)) {
      const verbs = WRITE_VERBS.filter((verb) => grants(rule, verb, 'configmaps', CORE_GROUP, 'aws-auth'));
      if (verbs.length === 0) continue;
      const which = rule.resourceNames.length > 0 ? 'the aws-auth ConfigMap' : 'every ConfigMap, aws-auth included';
      yield { path: resourcePath(rule, 'configmaps'), message: `rules[${rule.path[1]}] grants ${verbs.join(', ')} on ${which}` };
    }
  },
});
