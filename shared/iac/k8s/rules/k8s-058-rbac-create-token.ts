import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-058',
  severity: 'medium',
  title: 'Can mint service-account tokens',
  description: 'A Role or ClusterRole rule grants create on serviceaccounts/token: the holder can obtain tokens for the service accounts it reaches.',
  remediation: 'Remove create on serviceaccounts/token, or limit it with resourceNames to the service accounts that need it.',
  compliance: ['CIS-K8S 5.1.13', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [{ verbs: ['create'], resources: ['serviceaccounts/token'], apiGroups: [CORE_GROUP] }],
});
