import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import { normalizeCapability } from '../workload.ts';

export default containerRule({
  id: 'K8S-011',
  severity: 'medium',
  title: 'NET_RAW available',
  description:
    'A container neither drops ALL nor NET_RAW, or adds NET_RAW (or ALL): raw sockets allow ARP and DNS spoofing inside the node network.',
  remediation: 'Drop ALL capabilities (or at least NET_RAW) and do not add NET_RAW back.',
  compliance: ['CIS-K8S 5.2.8', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.4', 'MITRE T1611', 'MITRE T1068', 'MITRE T1557'],
  linuxOnly: true,
  check(c) {
    const capsPath = [...c.path, 'securityContext', 'capabilities'];
    const caps = asMap(c.own('capabilities')?.value);
    const add = asArray(caps?.add);
    const addIndex = add.findIndex((cap) => ['NET_RAW', 'ALL'].includes(normalizeCapability(cap) ?? ''));
    if (addIndex >= 0) {
      return { path: [...capsPath, 'add', addIndex], message: `${describeContainer(c)} adds ${String(add[addIndex])}, which grants NET_RAW` };
    }
    const drop = asArray(caps?.drop).map(normalizeCapability);
    if (drop.includes('ALL') || drop.includes('NET_RAW')) return;
    return { path: [...capsPath, 'drop'], message: `${describeContainer(c)} keeps NET_RAW: it drops neither ALL nor NET_RAW` };
  },
});
