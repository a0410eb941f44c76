import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-003',
  severity: 'high',
  title: 'Shares the host IPC namespace',
  description: 'The pod sets hostIPC: true, so its containers can read and write the shared memory and message queues of every process on the node.',
  remediation: 'Remove hostIPC or set it to false.',
  compliance: ['CIS-K8S 5.2.4', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  check(pod) {
    if (pod.spec.hostIPC !== true) return;
    return { path: [...pod.specPath, 'hostIPC'], message: 'the pod shares the host IPC namespace (hostIPC: true)' };
  },
});
