import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-005',
  severity: 'medium',
  title: 'Privilege escalation not disabled',
  description:
    'A container does not set securityContext.allowPrivilegeEscalation: false; unset counts, because the runtime default lets setuid binaries gain privileges.',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  compliance: ['CIS-K8S 5.2.6', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.4', 'PCI-DSS 2.2.6', 'PCI-DSS 7.2.5', 'MITRE T1611', 'MITRE T1068'],
  linuxOnly: true,
  check(c) {
    const allow = c.own('allowPrivilegeEscalation');
    if (allow?.value === false) return;
    return {
      path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
      message: allow
        ? `${describeContainer(c)} sets allowPrivilegeEscalation: ${JSON.stringify(allow.value)}`
        : `${describeContainer(c)} does not set allowPrivilegeEscalation: false`,
    };
  },
});
