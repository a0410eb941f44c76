import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { hostPathVolumes, POD_SPEC_RESOURCES } from '../pod-spec.ts';
import { isSensitiveHostPath } from './audit-004-sensitive-host-path.ts';

export default registerDetection({
  id: 'AUDIT-005',
  severity: 'low',
  title: 'Pod mounts another host path',
  description: 'A pod or workload template mounts a hostPath volume outside the sensitive set of AUDIT-004 (raised only when AUDIT-004 does not fire for the same request), outside the platform namespaces and with an untrusted image.',
  remediation: 'Prefer emptyDir, persistent volumes or CSI drivers over hostPath; if the host directory is needed, mount it read-only and narrow it to the exact path.',
  tier: 2,
  level: 'R',
  mitre: ['T1611'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec) return null;
    const volumes = hostPathVolumes(spec);
    const other = volumes.filter((v) => !isSensitiveHostPath(v.path));
    if (other.length === 0) return null;
    if (spec.containers.length > 0 && spec.containers.every((c) => isTrustedImage(ctx.settings, c.image))) return null;
    return {
      key: [event.namespace, spec.owner],
      message: `${spec.owner} in ${event.namespace || '(no namespace)'} mounts host path${other.length > 1 ? 's' : ''} ${other.map((v) => v.path || '(empty)').join(', ')}`,
      resource: workloadResource(event, spec),
      images: spec.images,
      evidence: { objectKind: spec.objectKind, owner: spec.owner, hostPaths: volumes, images: spec.images },
    };
  },
});
