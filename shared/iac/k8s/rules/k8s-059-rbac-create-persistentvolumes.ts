import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-059',
  severity: 'medium',
  title: 'Can create PersistentVolumes',
  description: 'A ClusterRole grants create on persistentvolumes: a hostPath PersistentVolume reaches the node filesystem.',
  remediation: 'Let workloads request storage through PersistentVolumeClaims and StorageClasses; keep PersistentVolume creation with cluster administrators.',
  compliance: ['CIS-K8S 5.1.9', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  applies: (m) => m.kind === 'ClusterRole',
  permissions: [{ verbs: ['create'], resources: ['persistentvolumes'], apiGroups: [CORE_GROUP] }],
});
