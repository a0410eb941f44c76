import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-001',
  severity: 'critical',
  title: 'Privileged container',
  description: 'A container sets securityContext.privileged: true and so has every capability and full access to the host devices.',
  remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capabilities the container needs.',
  compliance: ['CIS-K8S 5.2.2', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  check(c) {
    const privileged = c.own('privileged');
    if (privileged?.value !== true) return;
    return { path: privileged.path, message: `${describeContainer(c)} runs privileged` };
  },
});
