import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

export default registerDetection({
  id: 'AUDIT-001',
  severity: 'high',
  title: 'Privileged container in a pod or workload template',
  description: 'A pod or workload template was created or changed with a container that sets securityContext.privileged: true and whose image is not on the trusted-image list.',
  remediation: 'Find who created the workload and why; remove securityContext.privileged or grant only the capabilities the container needs. Trusted system images can be added to audit.trustedImages.',
  tier: 1,
  level: 'R',
  mitre: ['T1611', 'T1610'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec) return null;
    // E-IMG per container: alert when any privileged container is untrusted.
    const offending = spec.containers.filter((c) => c.securityContext.privileged === true && !isTrustedImage(ctx.settings, c.image));
    if (offending.length === 0) return null;
    return {
      key: [event.namespace, spec.owner, spec.images.join(',')],
      message: `${spec.owner} in ${event.namespace || '(no namespace)'} runs privileged container${offending.length > 1 ? 's' : ''} ${offending.map((c) => `${c.name} (${c.image})`).join(', ')}`,
      resource: workloadResource(event, spec),
      container: offending[0].name,
      images: offending.map((c) => c.image),
      evidence: { objectKind: spec.objectKind, owner: spec.owner, containers: offending.map((c) => ({ name: c.name, image: c.image, list: c.list, privileged: true })) },
    };
  },
});
