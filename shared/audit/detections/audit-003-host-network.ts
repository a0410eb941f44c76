import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

export default registerDetection({
  id: 'AUDIT-003',
  severity: 'medium',
  title: 'Pod uses the host network namespace',
  description: 'A pod or workload template was created or changed with hostNetwork: true, outside the platform namespaces and with at least one untrusted image.',
  remediation: 'Remove hostNetwork unless the workload is a CNI, kube-proxy or node agent; those belong in a platform namespace or use a trusted image.',
  tier: 1,
  level: 'R',
  mitre: ['T1611'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec || spec.spec.hostNetwork !== true) return null;
    if (spec.containers.length > 0 && spec.containers.every((c) => isTrustedImage(ctx.settings, c.image))) return null;
    return {
      key: [event.namespace, spec.owner],
      message: `${spec.owner} in ${event.namespace || '(no namespace)'} uses the host network namespace (hostNetwork: true)`,
      resource: workloadResource(event, spec),
      images: spec.images,
      evidence: { objectKind: spec.objectKind, owner: spec.owner, hostNetwork: true, images: spec.images },
    };
  },
});
