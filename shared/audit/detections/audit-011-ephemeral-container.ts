import { actorLabel, isControlPlane, isPlatformNamespace, registerDetection } from '../detection.ts';

interface EphemeralContainer {
  name: string;
  image: string;
  targetContainerName: string | null;
  command: string[];
  privileged: boolean;
}

/** Ephemeral containers in the request body (an update carries all of them, a kubectl debug patch the new one). */
function ephemeralContainersOf(body: unknown): EphemeralContainer[] {
  const spec = (body as { spec?: { ephemeralContainers?: unknown } } | null)?.spec;
  const list = typeof spec === 'object' && spec !== null && Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers : [];
  return list
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && !Array.isArray(c))
    .map((c) => ({
      name: typeof c.name === 'string' ? c.name : '',
      image: typeof c.image === 'string' ? c.image : '',
      targetContainerName: typeof c.targetContainerName === 'string' ? c.targetContainerName : null,
      command: Array.isArray(c.command) ? c.command.filter((x): x is string => typeof x === 'string') : [],
      privileged: (c.securityContext as { privileged?: unknown } | undefined)?.privileged === true,
    }));
}

export default registerDetection({
  id: 'AUDIT-011',
  severity: 'medium',
  title: 'Ephemeral (debug) container added to a running pod',
  description: 'A non-control-plane identity added an ephemeral container to a running pod (pods/ephemeralcontainers update or patch, e.g. kubectl debug); HIGH when the container is privileged or the pod is in a platform namespace.',
  remediation: 'Confirm the debug session was approved; allow-list break-glass identities with audit.exceptions and restrict pods/ephemeralcontainers in RBAC.',
  tier: 1,
  level: 'M',
  levelNote: 'R for image',
  mitre: ['T1609', 'T1611'],
  resources: ['pods'],
  verbs: ['update', 'patch'],
  evaluate(event, ctx) {
    if (event.subresource !== 'ephemeralcontainers' || (event.verb !== 'update' && event.verb !== 'patch')) return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const containers = ephemeralContainersOf(event.writtenObject);
    const privileged = containers.some((c) => c.privileged);
    const platform = isPlatformNamespace(ctx.settings, event.namespace);
    const images = [...new Set(containers.map((c) => c.image).filter(Boolean))].sort();
    return {
      key: [event.user.username, event.namespace, event.name],
      message: `${actorLabel(event)} added an ephemeral container to pod ${event.namespace}/${event.name}${images.length ? ` (image ${images.join(', ')})` : ''}${privileged ? ', privileged' : ''}`,
      severity: privileged || platform ? 'high' : 'medium',
      container: containers[0]?.name || null,
      images,
      command: containers.map((c) => c.command.join(' ')).filter(Boolean).join('; ') || undefined,
      evidence: { pod: event.name, namespace: event.namespace, containers, privileged, platformNamespace: platform },
    };
  },
});
