import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-002',
  severity: 'high',
  title: 'Shares the host PID namespace',
  description: 'The pod sets hostPID: true, so its containers see every process on the node and can signal or trace them.',
  remediation: 'Remove hostPID or set it to false.',
  compliance: ['CIS-K8S 5.2.3', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  check(pod) {
    if (pod.spec.hostPID !== true) return;
    return { path: [...pod.specPath, 'hostPID'], message: 'the pod shares the host PID namespace (hostPID: true)' };
  },
});
