import { permissionRule } from '../rbac.ts';

export default permissionRule({
  id: 'K8S-056',
  severity: 'high',
  title: 'Can change admission webhooks',
  description:
    'A Role or ClusterRole rule grants create, update, patch, delete or deletecollection on validating or mutating webhook configurations, validating admission policies or their bindings (admissionregistration.k8s.io).',
  remediation: 'Restrict changes to admission configuration to the cluster administrators and the controllers that own it.',
  compliance: ['CIS-K8S 5.1.12', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.1', 'NIST-800-190 4.3.2', 'PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'MITRE T1098.006', 'MITRE T1609', 'MITRE T1078', 'MITRE T1552.007'],
  permissions: [
    {
      verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'],
      resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
      apiGroups: ['admissionregistration.k8s.io'],
    },
  ],
});
