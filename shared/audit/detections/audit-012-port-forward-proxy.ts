import { actorLabel, isPlatformActivity, isPlatformNamespace, registerDetection, STREAM_VERBS } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-012',
  severity: 'low',
  title: 'Port-forward or API-server proxy into a workload',
  description: 'Someone opened a tunnel into a workload through the API server: pods/portforward (create or get), pods/proxy or services/proxy, and the request did not fail; MEDIUM in a platform namespace.',
  remediation: 'Confirm the access was expected; prefer Services with authentication over API-server tunnels and restrict pods/portforward and */proxy in RBAC.',
  tier: 2,
  level: 'M',
  mitre: ['T1572'],
  resources: ['pods', 'services'],
  evaluate(event, ctx) {
    const sub = event.subresource;
    const tunnel = (event.resource === 'pods' && sub === 'portforward' && STREAM_VERBS.has(event.verb)) || (sub === 'proxy' && (event.resource === 'pods' || event.resource === 'services'));
    if (!tunnel || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const kind = event.resource === 'pods' ? 'pod' : 'service';
    return {
      key: [event.user.username, event.namespace, event.resource, event.name, sub],
      message: `${actorLabel(event)} opened a ${sub === 'portforward' ? 'port-forward' : 'proxy'} to ${kind} ${event.namespace}/${event.name}`,
      severity: isPlatformNamespace(ctx.settings, event.namespace) ? 'medium' : 'low',
      evidence: { subresource: sub, target: `${kind}/${event.name}`, namespace: event.namespace },
    };
  },
});
