import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-050',
  severity: 'high',
  title: 'Read access to Secrets',
  description: 'A Role or ClusterRole rule grants get, list or watch on secrets in the core group.',
  remediation: 'Remove read access to secrets, or narrow it with resourceNames to the few Secrets the workload must read.',
  compliance: ['CIS-K8S 5.1.2', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [{ verbs: ['get', 'list', 'watch'], resources: ['secrets'], apiGroups: [CORE_GROUP] }],
});
