import { actorLabel, isNodeIdentity, isPublicIP, registerDetection, type AuditEvent } from '../detection.ts';

/** The EKS-owned role that eks:addon-manager / eks:node-manager act through from AWS's own address space. */
const EKS_MANAGER_ROLE = /:(?:assumed-)?role\/AWSWesleyClusterManagerLambda/;
const EKS_SERVICE_PRINCIPALS = new Set(['eks:addon-manager', 'eks:node-manager']);

function isInClusterIdentity(username: string): boolean {
  return isNodeIdentity(username) || username.startsWith('system:serviceaccount:') || username.startsWith('eks:');
}

function isEksServiceManaged(event: AuditEvent): boolean {
  if (!EKS_SERVICE_PRINCIPALS.has(event.user.username)) return false;
  return (event.user.extra.arn ?? []).some((arn) => EKS_MANAGER_ROLE.test(arn));
}

export default registerDetection({
  id: 'AUDIT-026',
  severity: 'high',
  tier: 1,
  level: 'M',
  title: 'In-cluster identity used from an external IP',
  description:
    'A node, service-account or EKS identity made a request whose directly connected client address is public and not a configured trusted range: its credential is being used from outside the cluster. Refused requests count too.',
  remediation:
    'Treat the credential as stolen: rotate the service-account token (delete the secret or restart the pods of a projected token) or replace the node; block the address, and add legitimate egress ranges to audit.trustedCidrs.',
  mitre: ['T1078', 'T1550.001', 'T1528'],
  evaluate(event, ctx) {
    // Evaluated on the completed request only (§0.1 without the streaming exception).
    if (event.stage === 'ResponseStarted') return null;
    const username = event.user.username;
    if (!isInClusterIdentity(username)) return null;
    const ip = event.clientIP;
    if (!isPublicIP(ip) || ctx.settings.trustedCidrs.has(ip)) return null;
    if (isEksServiceManaged(event)) return null;
    return {
      key: [username, ip],
      message: `${actorLabel(event)} called the API server from public address ${ip} (${event.verb || 'request'} ${event.requestURI || ''})`.trim(),
      evidence: { clientIP: ip, outcome: event.outcome },
    };
  },
});
