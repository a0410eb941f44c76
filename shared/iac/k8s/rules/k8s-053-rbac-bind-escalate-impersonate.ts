import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-053',
  severity: 'critical',
  title: 'Can bind, escalate or impersonate',
  description:
    'A Role or ClusterRole rule grants bind or escalate on roles or clusterroles (rbac.authorization.k8s.io), or impersonate on users, groups, serviceaccounts, uids or userextras (core group or authentication.k8s.io).',
  remediation: 'Remove bind, escalate and impersonate; they let the holder grant itself any permission or act as any identity.',
  compliance: ['CIS-K8S 5.1.8', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [
    { verbs: ['bind', 'escalate'], resources: ['roles', 'clusterroles'], apiGroups: ['rbac.authorization.k8s.io'] },
    {
      verbs: ['impersonate'],
      resources: ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/*'],
      apiGroups: [CORE_GROUP, 'authentication.k8s.io'],
    },
  ],
});
