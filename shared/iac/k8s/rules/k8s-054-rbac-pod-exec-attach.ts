import { CORE_GROUP, permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-054',
  severity: 'high',
  title: 'Can exec or attach into pods',
  description:
    'A Role or ClusterRole rule grants create or get on pods/exec or pods/attach (get suffices for the WebSocket upgrade on older API servers).',
  remediation: 'Remove exec and attach access from roles used by applications; give interactive access through a separate, audited break-glass role.',
  compliance: ['NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [{ verbs: ['create', 'get'], resources: ['pods/exec', 'pods/attach'], apiGroups: [CORE_GROUP] }],
});
