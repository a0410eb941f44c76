import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-051',
  severity: 'medium',
  title: 'Can create pods',
  description:
    'A Role or ClusterRole rule grants create on pods in the core group: the holder can run any image with any service account of the namespace mounted.',
  remediation: 'Grant pod creation only to controllers and deployment tooling that need it; let people and apps create workloads through reviewed pipelines.',
  compliance: ['CIS-K8S 5.1.4', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [{ verbs: ['create'], resources: ['pods'], apiGroups: [CORE_GROUP] }],
});
