import { actorLabel, isAnonymous, isLoopbackIP, registerDetection, WRITE_VERBS } from '../detection.ts';

/** Public-information and health endpoints, matched as prefixes (load balancers probe them with query strings and sub-paths). */
const PUBLIC_PATH_PREFIXES = ['/healthz', '/livez', '/readyz', '/version', '/.well-known/openid-configuration', '/openid/v1/jwks'];

export default registerDetection({
  id: 'AUDIT-024',
  severity: 'high',
  tier: 1,
  level: 'M',
  title: 'Anonymous request allowed',
  description:
    'An unauthenticated request (system:anonymous or group system:unauthenticated) succeeded on something other than the health and public-discovery endpoints, from a non-loopback client. HIGH for reads, CRITICAL for writes.',
  remediation:
    'Find the binding that grants system:anonymous or system:unauthenticated access (kubectl get clusterrolebindings,rolebindings -A -o wide) and remove it; consider --anonymous-auth=false on the API server.',
  mitre: ['T1078.001', 'T1190'],
  evaluate(event) {
    if (!isAnonymous(event.user) || event.outcome !== 'succeeded') return null;
    if (PUBLIC_PATH_PREFIXES.some((prefix) => event.requestURI.startsWith(prefix))) return null;
    if (isLoopbackIP(event.clientIP)) return null;
    const write = WRITE_VERBS.has(event.verb);
    return {
      key: [event.clientIP, write ? 'write' : 'read'],
      severity: write ? 'critical' : 'high',
      message: `anonymous ${write ? 'write' : 'request'} allowed: ${actorLabel(event)} ${event.verb || 'request'} ${event.requestURI || '(no URI)'} from ${event.clientIP ?? 'an unknown address'}`,
      evidence: { write },
    };
  },
});
