import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-055',
  severity: 'high',
  title: 'Access to nodes/proxy',
  description: 'A Role or ClusterRole rule grants any verb on nodes/proxy: direct kubelet API access that bypasses audit logging and admission control.',
  remediation: 'Remove access to nodes/proxy; monitoring agents can read metrics through nodes/metrics or nodes/stats instead.',
  compliance: ['CIS-K8S 5.1.10', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [{ verbs: 'any', resources: ['nodes/proxy'], apiGroups: [CORE_GROUP] }],
});
