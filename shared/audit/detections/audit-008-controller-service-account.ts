import { BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS, evaluablePodSpec, isControlPlane, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

const CONTROLLERS = new Set(BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS);

export default registerDetection({
  id: 'AUDIT-008',
  severity: 'high',
  title: 'Pod runs as a built-in controller service account',
  description: "A pod or workload template uses a kube-system controller service account (or a configured privileged one), so the pod carries that controller's cluster-wide rights; raised when the actor is not control plane or an image is untrusted, unless every image is trusted.",
  remediation: 'Give the workload its own service account with only the permissions it needs; controller service accounts are for kube-controller-manager.',
  tier: 2,
  level: 'R',
  mitre: ['T1078', 'T1528'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: false });
    if (!spec) return null;
    const saName = typeof spec.spec.serviceAccountName === 'string' ? spec.spec.serviceAccountName : typeof spec.spec.serviceAccount === 'string' ? spec.spec.serviceAccount : '';
    if (saName === '') return null;
    // A service account name resolves in the pod's own namespace: controller tokens live in kube-system.
    const username = `system:serviceaccount:${event.namespace}:${saName}`;
    const privileged = (event.namespace === 'kube-system' && CONTROLLERS.has(saName)) || ctx.settings.privilegedServiceAccounts(username);
    if (!privileged) return null;
    const untrusted = spec.containers.some((c) => !isTrustedImage(ctx.settings, c.image));
    // Trigger: the actor is not control plane, or an image is untrusted.
    if (isControlPlane(event, ctx.settings) && !untrusted) return null;
    // E-IMG: excepted when every container is trusted, whoever the actor.
    if (!untrusted && spec.containers.length > 0) return null;
    return {
      key: [event.namespace, spec.owner, saName],
      message: `${spec.owner} in ${event.namespace} runs as service account ${saName}, which carries controller-level rights`,
      resource: workloadResource(event, spec),
      images: spec.images,
      evidence: { objectKind: spec.objectKind, owner: spec.owner, serviceAccount: username, images: spec.images },
    };
  },
});
