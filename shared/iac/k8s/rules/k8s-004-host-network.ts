import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-004',
  severity: 'high',
  title: 'Shares the host network namespace',
  description:
    'The pod sets hostNetwork: true, so its containers use the node network stack: they reach services bound to the node loopback, sniff node traffic and bypass network policies.',
  remediation: 'Remove hostNetwork or set it to false; expose the workload through a Service instead.',
  compliance: ['CIS-K8S 5.2.5', 'NSA-CISA Pod security enforcement', 'NSA-CISA Network separation', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  check(pod) {
    if (pod.spec.hostNetwork !== true) return;
    return { path: [...pod.specPath, 'hostNetwork'], message: 'the pod shares the host network namespace (hostNetwork: true)' };
  },
});
