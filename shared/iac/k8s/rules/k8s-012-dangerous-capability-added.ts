import * as z from 'zod';
import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import { normalizeCapability } from '../workload.ts';

const DANGEROUS_CAPABILITIES = [
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_BOOT',
  'SYS_TIME',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'PERFMON',
  'BPF',
  'DAC_READ_SEARCH',
];

export default containerRule({
  id: 'K8S-012',
  severity: 'high',
  title: 'Dangerous capability added',
  description: "A container's capabilities.add contains a capability that enables host escape or node-level tampering (SYS_ADMIN, NET_ADMIN, ALL, ...; list configurable).",
  remediation: 'Remove the capability from capabilities.add; redesign the workload so it does not need it, or isolate it on dedicated nodes.',
  compliance: ['CIS-K8S 5.2.9', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.4', 'MITRE T1611', 'MITRE T1068', 'MITRE T1557'],
  optionsSchema: z.strictObject({
    /** Capabilities reported when added (names compare case-insensitively, CAP_ prefix optional). */
    capabilities: z.array(z.string()).default(DANGEROUS_CAPABILITIES),
  }),
  check(c, _pod, { options }) {
    const dangerous = new Set(options.capabilities.map(normalizeCapability));
    const add = asArray(asMap(c.own('capabilities')?.value)?.add);
    const offending = add.flatMap((cap, index) => {
      const name = normalizeCapability(cap);
      return name && dangerous.has(name) ? [{ name, index }] : [];
    });
    if (offending.length === 0) return;
    return {
      path: [...c.path, 'securityContext', 'capabilities', 'add', offending[0].index],
      message: `${describeContainer(c)} adds ${offending.map((o) => o.name).join(', ')}`,
    };
  },
});
