import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { hostPathVolumes, POD_SPEC_RESOURCES } from '../pod-spec.ts';

/** Host paths that are sensitive as exactly these paths: the root, runtime state dirs and container-runtime sockets. */
const SENSITIVE_EXACT = new Set([
  '/',
  '/run',
  '/var/run',
  '/var/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
]);
/** Host paths sensitive together with everything below them. */
const SENSITIVE_TREES = ['/etc', '/proc', '/sys', '/root', '/home', '/boot', '/dev', '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/etcd'];

/** Catalog AUDIT-004 set, on a normalised path. */
export function isSensitiveHostPath(path: string): boolean {
  return SENSITIVE_EXACT.has(path) || SENSITIVE_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`));
}

export default registerDetection({
  id: 'AUDIT-004',
  severity: 'high',
  title: 'Pod mounts a sensitive host path',
  description: 'A pod or workload template mounts a hostPath volume on the host root, a runtime socket, /etc, /proc, /sys, /root, /home, /boot, /dev or the kubelet/runtime/etcd state directories, outside the platform namespaces and with an untrusted image.',
  remediation: 'Remove the hostPath volume; node-level access belongs to vetted agents in platform namespaces. Use a projected or emptyDir volume for data, and never mount the runtime socket.',
  tier: 1,
  level: 'R',
  mitre: ['T1611'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  absorbs: ['AUDIT-005'],
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec) return null;
    const volumes = hostPathVolumes(spec);
    const sensitive = volumes.filter((v) => isSensitiveHostPath(v.path));
    if (sensitive.length === 0) return null;
    if (spec.containers.length > 0 && spec.containers.every((c) => isTrustedImage(ctx.settings, c.image))) return null;
    return {
      key: [event.namespace, spec.owner],
      message: `${spec.owner} in ${event.namespace || '(no namespace)'} mounts sensitive host path${sensitive.length > 1 ? 's' : ''} ${sensitive.map((v) => v.path).join(', ')}`,
      resource: workloadResource(event, spec),
      images: spec.images,
      evidence: { objectKind: spec.objectKind, owner: spec.owner, hostPaths: volumes, sensitive: sensitive.map((v) => v.path), images: spec.images },
    };
  },
});
