import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import { normalizeCapability } from '../workload.ts';

export default containerRule({
  id: 'K8S-010',
  severity: 'medium',
  title: 'Capabilities not dropped',
  description: "A container's securityContext.capabilities.drop does not contain ALL, so it keeps the runtime's default capabilities.",
  remediation: 'Set securityContext.capabilities.drop: [ALL] and add back only the capabilities the container needs.',
  compliance: ['CIS-K8S 5.2.10', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.4', 'MITRE T1611', 'MITRE T1068'],
  linuxOnly: true,
  check(c) {
    const drop = asArray(asMap(c.own('capabilities')?.value)?.drop);
    if (drop.some((cap) => normalizeCapability(cap) === 'ALL')) return;
    return {
      path: [...c.path, 'securityContext', 'capabilities', 'drop'],
      message: `${describeContainer(c)} does not drop ALL capabilities`,
    };
  },
});
