import { asMap, asString, type Manifest } from '../manifest.ts';
import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-030',
  severity: 'medium',
  title: 'Service-account token automounted',
  description:
    'The pod mounts a service-account token: automountServiceAccountToken is true, or unset while the referenced ServiceAccount in the scanned set does not disable it.',
  remediation: 'Set automountServiceAccountToken: false on the pod (or on its ServiceAccount) unless the workload calls the Kubernetes API.',
  compliance: ['CIS-K8S 5.1.6', 'NSA-CISA Pod security: protecting Pod service account tokens', 'NIST-800-190 4.3.2', 'NIST-800-190 4.3.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'PCI-DSS 2.2.2', 'MITRE T1528', 'MITRE T1552.007', 'MITRE T1078.001'],
  check(pod, ctx) {
    const automount = pod.spec.automountServiceAccountToken;
    const path = [...pod.specPath, 'automountServiceAccountToken'];
    if (automount === false) return;
    if (automount === true) return { path, message: 'automountServiceAccountToken is true' };
    const saName = asString(pod.spec.serviceAccountName) || asString(pod.spec.serviceAccount) || 'default';
    const ns = ctx.manifest.namespace;
    const sa = ctx.ofKind('ServiceAccount').find(
      (m: Manifest) => m.name === saName && (ns === null || m.namespace === null || m.namespace === ns),
    );
    if (sa && sa.object.automountServiceAccountToken === false) return;
    return {
      path,
      message: sa
        ? `the token is mounted: the pod does not disable it and ServiceAccount "${saName}" does not set automountServiceAccountToken: false`
        : `the token is mounted: the pod does not disable it and ServiceAccount "${saName}" is not in the scanned set with automountServiceAccountToken: false`,
    };
  },
});
