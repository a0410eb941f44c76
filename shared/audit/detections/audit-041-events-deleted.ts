import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-041',
  severity: 'medium',
  tier: 2,
  level: 'M',
  levelNote: 'not on EKS (events are not audited there)',
  title: 'Kubernetes Events deleted',
  description: 'A non-control-plane identity deletes Kubernetes Events (core or events.k8s.io): the cluster\'s own record of what just happened. Namespace deletion cascades through the namespace controller, which is control plane.',
  remediation: 'Find out what the deleted events described (audit log, event exporters) and why the actor removed them.',
  mitre: ['T1070'],
  resources: ['events'],
  evaluate(event, ctx) {
    if (event.verb !== 'delete' && event.verb !== 'deletecollection') return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings)) return null;
    return {
      key: [event.user.username, event.namespace],
      message: `${actorLabel(event)} deleted ${event.verb === 'deletecollection' ? 'all events' : `event ${event.name || '(unnamed)'}`} in ${event.namespace ? `namespace ${event.namespace}` : 'all namespaces'}`,
    };
  },
});
