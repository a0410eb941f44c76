import { isControlPlane, registerDetection, serviceAccountOf, type AuditEvent } from '../detection.ts';

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Refused by authentication or authorization; a 404 (secret does not exist) is not a denial. */
function isDenied(event: AuditEvent): boolean {
  const code = event.responseCode;
  if (code === 401 || code === 403) return true;
  return code !== 404 && event.decision === 'forbid';
}

export default registerDetection({
  id: 'AUDIT-032',
  severity: 'medium',
  tier: 2,
  level: 'M',
  title: 'Repeated denied secret access',
  description:
    'One identity is refused (401/403) reading secrets again and again in a short time: a credential probing for secrets it cannot get. Control-plane and kube-system service accounts are not counted.',
  remediation: 'Identify the caller; if it is not a misconfigured workload, treat its credential as compromised and rotate it.',
  mitre: ['T1552.007', 'T1613'],
  resources: ['secrets'],
  threshold: { count: 5, windowSeconds: 600 },
  evaluate(event, ctx) {
    if (!READ_VERBS.has(event.verb) || !isDenied(event) || isControlPlane(event, ctx.settings)) return null;
    const username = event.user.username;
    if (serviceAccountOf(username)?.namespace === 'kube-system') return null;
    return {
      key: [username || `ip:${event.clientIP ?? ''}`],
      message: `${username || 'an unauthenticated client'} was repeatedly refused reading secrets (latest: ${event.verb} ${event.namespace || '*'}/${event.name || '*'})`,
    };
  },
});
