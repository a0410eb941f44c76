import * as z from 'zod';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-008',
  severity: 'low',
  title: 'UID not above 10000',
  description:
    "A container's effective runAsUser is unset or not above 10000 (configurable), so it may share a UID with a user of the host.",
  remediation: 'Set runAsUser to a UID above 10000 in the pod or container securityContext.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: non-root containers', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.4', 'PCI-DSS 2.2.6', 'PCI-DSS 7.2.5', 'MITRE T1611', 'MITRE T1068'],
  linuxOnly: true,
  optionsSchema: z.strictObject({
    /** The effective runAsUser must be greater than this. */
    threshold: z.number().int().min(0).default(10000),
  }),
  check(c, _pod, { options }) {
    const uid = c.effective('runAsUser');
    if (typeof uid?.value === 'number' && uid.value > options.threshold) return;
    return {
      path: uid?.path ?? [...c.path, 'securityContext', 'runAsUser'],
      message: uid
        ? `${describeContainer(c)} runs as UID ${JSON.stringify(uid.value)}, not above ${options.threshold}`
        : `${describeContainer(c)} sets no runAsUser (it should be above ${options.threshold})`,
    };
  },
});
