import { asArray, asMap, asString } from '../manifest.ts';
import { podRule, type K8sHit } from '../rule.ts';
import type { PodTemplate } from '../workload.ts';

const SOCKET_NAMES = ['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'podman.sock'];
const SOCKET_DIRECTORIES = ['/var/run', '/run', '/var/run/docker', '/var/run/containerd', '/run/containerd', '/var/run/crio', '/run/crio'];

export default podRule({
  id: 'K8S-024',
  severity: 'critical',
  title: 'Container runtime socket mounted',
  description:
    'A hostPath volume exposes a container runtime socket (docker.sock, containerd.sock, crio.sock, cri-dockerd.sock, podman.sock) or a directory holding one; whoever reaches it controls every container of the node.',
  remediation: 'Remove the runtime socket mount; build images with a daemonless builder and query the runtime through the Kubernetes API instead.',
  compliance: ['CIS-K8S 5.2.12', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.5', 'PCI-DSS 2.2.6', 'MITRE T1611', 'MITRE T1609', 'MITRE T1552.001'],
  *check(pod: PodTemplate): Generator<K8sHit> {
    for (const [index, volume] of asArray(pod.spec.volumes).entries()) {
      const raw = asString(asMap(asMap(volume)?.hostPath)?.path);
      if (raw === undefined) continue;
      const hostPath = raw.replace(/\/+$/, '') || '/';
      if (!SOCKET_NAMES.some((socket) => hostPath.endsWith(socket)) && !SOCKET_DIRECTORIES.includes(hostPath)) continue;
      const name = asString(asMap(volume)?.name) ?? `volumes[${index}]`;
      yield { path: [...pod.specPath, 'volumes', index, 'hostPath', 'path'], message: `volume "${name}" mounts the container runtime socket path ${raw}` };
    }
  },
});
