import { evaluablePodSpec, isTrustedImage, POD_SPEC_WINDOW_SECONDS, registerDetection, workloadResource, type DetectionMatch } from '../detection.ts';
import { POD_SPEC_RESOURCES } from '../pod-spec.ts';

export default registerDetection({
  id: 'AUDIT-002',
  severity: 'high',
  title: 'Pod shares the host PID or IPC namespace',
  description: 'A pod or workload template was created or changed with hostPID: true or hostIPC: true, outside the platform namespaces and with at least one untrusted image.',
  remediation: 'Remove hostPID/hostIPC unless the workload is a vetted node agent; such agents belong in a platform namespace or use a trusted image.',
  tier: 1,
  level: 'R',
  mitre: ['T1611'],
  resources: POD_SPEC_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  windowSeconds: POD_SPEC_WINDOW_SECONDS,
  evaluate(event, ctx) {
    const spec = evaluablePodSpec(event, ctx, { platformException: true });
    if (!spec) return null;
    const flags = (['hostPID', 'hostIPC'] as const).filter((f) => spec.spec[f] === true);
    if (flags.length === 0) return null;
    // E-IMG: excepted only when every container is trusted.
    if (spec.containers.length > 0 && spec.containers.every((c) => isTrustedImage(ctx.settings, c.image))) return null;
    return flags.map(
      (flag): DetectionMatch => ({
        key: [event.namespace, spec.owner, flag],
        message: `${spec.owner} in ${event.namespace || '(no namespace)'} shares the host ${flag === 'hostPID' ? 'PID' : 'IPC'} namespace (${flag}: true)`,
        resource: workloadResource(event, spec),
        images: spec.images,
        evidence: { objectKind: spec.objectKind, owner: spec.owner, [flag]: true, images: spec.images },
      }),
    );
  },
});
