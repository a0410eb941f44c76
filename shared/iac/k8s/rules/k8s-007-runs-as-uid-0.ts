import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-007',
  severity: 'high',
  title: 'Explicitly runs as UID 0',
  description: "A container's effective runAsUser is 0 (set on the container, or on the pod and not overridden by the container).",
  remediation: 'Set runAsUser to a non-zero UID (and runAsNonRoot: true); grant specific capabilities instead of running as root.',
  compliance: ['CIS-K8S 5.2.7', 'NSA-CISA Pod security: non-root containers', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.4', 'PCI-DSS 2.2.6', 'PCI-DSS 7.2.5', 'MITRE T1611', 'MITRE T1068'],
  check(c) {
    const uid = c.effective('runAsUser');
    if (uid?.value !== 0) return;
    return { path: uid.path, message: `${describeContainer(c)} runs as UID 0` };
  },
});
