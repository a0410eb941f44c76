import * as z from 'zod';
import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import { normalizeCapability } from '../workload.ts';

/** Capabilities a Pod Security Standards profile lets a container add. */
const ALLOWED_BY_PROFILE = {
  baseline: ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'],
  restricted: ['NET_BIND_SERVICE'],
};

export default containerRule({
  id: 'K8S-013',
  severity: 'medium',
  title: 'Capability added outside the baseline set',
  description:
    'A container adds a capability outside the Pod Security Standards baseline set (the stricter restricted profile, which allows only NET_BIND_SERVICE, is an option).',
  remediation: 'Remove the capability from capabilities.add, or add only capabilities of the Pod Security Standards baseline set.',
  compliance: ['CIS-K8S 5.2.9', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.4', 'MITRE T1611', 'MITRE T1068'],
  optionsSchema: z.strictObject({
    /** Which Pod Security Standards profile decides the allowed additions. */
    profile: z.enum(['baseline', 'restricted']).default('baseline'),
  }),
  check(c, _pod, { options }) {
    const allowed = ALLOWED_BY_PROFILE[options.profile];
    const add = asArray(asMap(c.own('capabilities')?.value)?.add);
    const offending = add.flatMap((cap, index) => {
      const name = normalizeCapability(cap);
      return name && !allowed.includes(name) ? [{ name, index }] : [];
    });
    if (offending.length === 0) return;
    return {
      path: [...c.path, 'securityContext', 'capabilities', 'add', offending[0].index],
      message: `${describeContainer(c)} adds ${offending.map((o) => o.name).join(', ')}, outside the ${options.profile} set`,
    };
  },
});
