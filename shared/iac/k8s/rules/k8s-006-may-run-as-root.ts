import * as z from 'zod';
import { containerRule, describeContainer } from '../rule.ts';

const isPositiveUid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export default containerRule({
  id: 'K8S-006',
  severity: 'medium',
  title: 'Container may run as root',
  description:
    "A container's effective runAsUser is 0, or runAsUser is unset and the effective runAsNonRoot is not true, so the image's USER (often root) decides.",
  remediation: 'Set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext.',
  compliance: ['CIS-K8S 5.2.7', 'NSA-CISA Pod security: non-root containers', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.4', 'PCI-DSS 2.2.6', 'PCI-DSS 7.2.5', 'MITRE T1611', 'MITRE T1068'],
  linuxOnly: true,
  optionsSchema: z.strictObject({
    /** PSS restricted: an explicit non-zero UID passes only together with runAsNonRoot: true. */
    requireRunAsNonRoot: z.boolean().default(false),
  }),
  check(c, _pod, { options }) {
    const uid = c.effective('runAsUser');
    if (uid?.value === 0) return { path: uid.path, message: `${describeContainer(c)} runs as root (runAsUser: 0)` };
    const nonRoot = c.effective('runAsNonRoot');
    if (nonRoot?.value === true) return;
    const uidValue = uid?.value;
    if (isPositiveUid(uidValue) && !options.requireRunAsNonRoot) return;
    return {
      path: nonRoot?.path ?? [...c.path, 'securityContext', 'runAsNonRoot'],
      message: isPositiveUid(uidValue)
        ? `${describeContainer(c)} sets runAsUser ${uidValue} but not runAsNonRoot: true`
        : `${describeContainer(c)} may run as root: no runAsUser is set and runAsNonRoot is not true`,
    };
  },
});
