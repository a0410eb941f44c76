import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';
import { ROLE_RESOURCES } from '../rbac.ts';

export default registerDetection({
  id: 'AUDIT-019',
  severity: 'high',
  title: 'Built-in system role modified or deleted',
  description: 'A non-control-plane identity updated, patched or deleted a Role or ClusterRole whose name starts with system: or eks: (roles that churn legitimately, such as system:coredns, are excluded and configurable).',
  remediation: 'Revert the change (the API server reconciles most system: roles on restart, not immediately) and find out who changed it and why.',
  tier: 1,
  level: 'M',
  mitre: ['T1098.006'],
  resources: ROLE_RESOURCES,
  verbs: ['update', 'patch', 'delete'],
  evaluate(event, ctx) {
    if (event.subresource !== '' || !['update', 'patch', 'delete'].includes(event.verb)) return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const name = event.name;
    if (!(name.startsWith('system:') || name.startsWith('eks:')) || ctx.settings.isChurnRole(name)) return null;
    const kind = event.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
    return {
      key: [event.resource, event.namespace, name],
      message: `${actorLabel(event)} ${event.verb === 'delete' ? 'deleted' : 'modified'} built-in ${kind} ${event.namespace ? `${event.namespace}/` : ''}${name}`,
      evidence: { verb: event.verb, role: name },
    };
  },
});
