import { isControlPlane, registerDetection, serviceAccountOf } from '../detection.ts';

const READ_VERBS = new Set(['get', 'list', 'watch']);

export default registerDetection({
  id: 'AUDIT-031',
  severity: 'medium',
  tier: 2,
  level: 'M',
  title: 'Secret enumeration burst',
  description:
    'One identity touches many different secrets (names, or whole namespaces by listing) in a short time, whatever the outcome: harvesting credentials one by one. Control-plane and kube-system service accounts are not counted.',
  remediation: 'Identify the caller and what it read; rotate the secrets it obtained and narrow its secret permissions.',
  mitre: ['T1552.007'],
  resources: ['secrets'],
  threshold: { count: 10, windowSeconds: 600, distinct: true },
  evaluate(event, ctx) {
    if (!READ_VERBS.has(event.verb) || isControlPlane(event, ctx.settings)) return null;
    const username = event.user.username;
    if (serviceAccountOf(username)?.namespace === 'kube-system') return null;
    // A named read counts its secret; a collection read counts the namespace it listed.
    const target = event.name ? `${event.namespace}/${event.name}` : `list:${event.namespace || '*'}`;
    const actor = username || `ip:${event.clientIP ?? ''}`;
    return {
      key: [actor],
      distinctTarget: target,
      message: `${username || 'an unauthenticated client'} read many different secrets in a short time (latest: ${event.verb} ${target})`,
      evidence: { latestTarget: target },
    };
  },
});
