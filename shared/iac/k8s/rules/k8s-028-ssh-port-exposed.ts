import { asArray, asMap, getIn, type Manifest } from '../manifest.ts';
import { describeContainer, k8sRule, type K8sHit } from '../rule.ts';
import { containersOf, podTemplateOf } from '../workload.ts';

const SSH_PORT = 22;

/** One hit per Service: its first port entry with port or targetPort 22. */
function serviceSshPort(service: Manifest): K8sHit | undefined {
  for (const [index, port] of asArray(getIn(service.object, ['spec', 'ports'])).entries()) {
    const field = (['port', 'targetPort'] as const).find((f) => asMap(port)?.[f] === SSH_PORT);
    if (field) return { path: ['spec', 'ports', index, field], message: `the Service exposes the SSH port (${field}: 22)` };
  }
  return undefined;
}

export default k8sRule({
  id: 'K8S-028',
  severity: 'low',
  title: 'SSH port exposed',
  description: 'A workload container declares containerPort 22, or a Service has port or targetPort 22: an SSH server in a container is a remote entry point.',
  remediation: 'Remove the SSH server from the image and use kubectl exec or an ephemeral debug container for access.',
  compliance: ['NSA-CISA Network separation and hardening', 'NIST-800-190 4.4.2', 'NIST-800-190 4.3.3', 'PCI-DSS 1.3.1', 'PCI-DSS 2.2.4', 'MITRE T1133', 'MITRE T1021.004'],
  *check({ manifest }): Generator<K8sHit> {
    if (manifest.kind === 'Service') {
      const hit = serviceSshPort(manifest);
      if (hit) yield hit;
      return;
    }
    const pod = podTemplateOf(manifest);
    if (!pod || pod === 'invalid') return;
    for (const c of containersOf(pod)) {
      const index = asArray(c.container.ports).findIndex((port) => asMap(port)?.containerPort === SSH_PORT);
      if (index < 0) continue;
      yield { path: [...c.path, 'ports', index, 'containerPort'], container: c, message: `${describeContainer(c)} declares the SSH port (containerPort: 22)` };
    }
  },
});
