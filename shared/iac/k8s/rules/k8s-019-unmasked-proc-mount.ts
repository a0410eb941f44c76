import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-019',
  severity: 'high',
  title: 'Non-default /proc mount',
  description: 'A container sets securityContext.procMount to a value other than Default (Unmasked), exposing host kernel interfaces under /proc.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  linuxOnly: true,
  check(c) {
    const procMount = c.own('procMount');
    if (!procMount || procMount.value === 'Default') return;
    return { path: procMount.path, message: `${describeContainer(c)} sets procMount: ${JSON.stringify(procMount.value)}` };
  },
});
