import { permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-057',
  severity: 'high',
  title: 'Can approve CSRs',
  description:
    'A ClusterRole grants update or patch on certificatesigningrequests/approval, or approve on signers (certificates.k8s.io): the holder can have client certificates issued for any identity.',
  remediation: 'Leave CSR approval to the cluster components that own it; remove approval rights from other ClusterRoles.',
  compliance: ['CIS-K8S 5.1.11', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  applies: (m) => m.kind === 'ClusterRole',
  permissions: [
    { verbs: ['update', 'patch'], resources: ['certificatesigningrequests/approval'], apiGroups: ['certificates.k8s.io'] },
    { verbs: ['approve'], resources: ['signers'], apiGroups: ['certificates.k8s.io'] },
  ],
});
