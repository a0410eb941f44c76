import { getIn } from '../manifest.ts';
import { describeContainer, podRule, type K8sHit } from '../rule.ts';
import { containersOf, type PodTemplate } from '../workload.ts';

export default podRule({
  id: 'K8S-021',
  severity: 'high',
  title: 'Windows HostProcess container',
  description: 'The pod-level or a container windowsOptions sets hostProcess: true, running the container as a process on the Windows node with host access.',
  remediation: 'Remove windowsOptions.hostProcess or set it to false.',
  compliance: ['CIS-K8S 5.2.11', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'PCI-DSS 2.2.1', 'MITRE T1611', 'MITRE T1610'],
  // Checked where written: a pod-level true makes every container a HostProcess container.
  *check(pod: PodTemplate): Generator<K8sHit> {
    if (getIn(pod.spec, ['securityContext', 'windowsOptions', 'hostProcess']) === true) {
      yield { path: [...pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess'], message: 'the pod runs as Windows HostProcess (windowsOptions.hostProcess: true)' };
    }
    for (const c of containersOf(pod)) {
      if (getIn(c.container, ['securityContext', 'windowsOptions', 'hostProcess']) !== true) continue;
      yield {
        path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'],
        container: c,
        message: `${describeContainer(c)} runs as Windows HostProcess (windowsOptions.hostProcess: true)`,
      };
    }
  },
});
