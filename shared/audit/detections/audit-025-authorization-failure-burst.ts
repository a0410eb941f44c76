import { isAnonymous, isControlPlane, isPublicIP, registerDetection, type AuditEvent } from '../detection.ts';

/** 401/403, or the authorizer's forbid when the response code is missing. */
function isAuthorizationFailure(event: AuditEvent): boolean {
  const code = event.responseCode;
  if (code === 401 || code === 403) return true;
  return code === null && event.decision === 'forbid';
}

export default registerDetection({
  id: 'AUDIT-025',
  severity: 'medium',
  tier: 1,
  level: 'M',
  title: 'Burst of authorization failures (reconnaissance)',
  description:
    'Many requests of one identity (anonymous or unauthenticated: one client IP) are refused with 401/403 in a short time: someone probing what a credential can do. HIGH when anonymous or from a public address.',
  remediation: 'Identify the caller (user, source IP, user agent); if it is not a misconfigured client, revoke the credential and block the address.',
  mitre: ['T1613', 'T1110'],
  threshold: { count: 20, windowSeconds: 300 },
  windowSeconds: 1800,
  evaluate(event, ctx) {
    if (!isAuthorizationFailure(event) || isControlPlane(event, ctx.settings)) return null;
    // A 401 carries no user (authentication failed): like anonymous requests it counts per client IP.
    const anonymous = isAnonymous(event.user) || event.user.username === '';
    const ip = event.clientIP;
    const high = anonymous || isPublicIP(ip);
    const who = anonymous ? `unauthenticated client ${ip ?? '(unknown address)'}` : event.user.username;
    return {
      key: anonymous ? ['ip', ip] : ['user', event.user.username],
      severity: high ? 'high' : 'medium',
      message: `repeated authorization failures from ${who} (${event.responseCode ?? event.decision} on ${event.verb || 'request'} ${event.requestURI || ''})`.trim(),
      evidence: { anonymous, publicSource: isPublicIP(ip) },
    };
  },
});
