import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

export default registerDetection({
  id: 'AUDIT-007',
  severity: 'medium',
  title: 'Workload with an untrusted image in a system namespace',
  description: 'A pod or workload template in kube-system, kube-public, kube-node-lease or a configured platform namespace runs an image that is not on the trusted-image list. The actor does not matter: pods are created by controllers.',
  remediation: 'Confirm the workload belongs there; add vetted third-party agents to audit.trustedImages (preferably by digest or exact repository) and move application workloads out of system namespaces.',
  tier: 1,
  level: 'R',
  mitre: ['T1610', 'T1036.005'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    if (!ctx.settings.systemNamespaces.has(event.namespace)) return null;
    const spec = evaluablePodSpec(event, ctx, { platformException: false });
    if (!spec) return null;
    const untrusted = [...new Set(spec.containers.filter((c) => !isTrustedImage(ctx.settings, c.image)).map((c) => c.image))].sort();
    if (untrusted.length === 0) return null;
    return {
      key: [event.namespace, spec.owner, untrusted.join(',')],
      message: `${spec.owner} in system namespace ${event.namespace} runs untrusted image${untrusted.length > 1 ? 's' : ''} ${untrusted.map((i) => i || '(no image)').join(', ')}`,
      resource: workloadResource(event, spec),
      images: untrusted,
      evidence: { objectKind: spec.objectKind, owner: spec.owner, untrustedImages: untrusted, images: spec.images },
    };
  },
});
