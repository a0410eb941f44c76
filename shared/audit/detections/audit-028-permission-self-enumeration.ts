import { actorLabel, identityClass, isNodeIdentity, registerDetection } from '../detection.ts';

/** kubectl's own user agent, and client-go's default when a binary is built without version stamping. */
function isDefaultClientAgent(userAgent: string): boolean {
  return userAgent.startsWith('kubectl/') || userAgent.endsWith('kubernetes/$Format');
}

export default registerDetection({
  id: 'AUDIT-028',
  severity: 'low',
  tier: 2,
  level: 'M',
  title: 'Permission self-enumeration by a workload or script',
  description:
    'A SelfSubjectRulesReview or SelfSubjectAccessReview ("what am I allowed to do?") from a workload identity, a node, or a client that is not kubectl or a default client-go build: typical first step after stealing a token.',
  remediation: 'Check which pod or script holds the credential and why it enumerates its permissions; rotate the token if it is not expected.',
  mitre: ['T1613', 'T1069'],
  resources: ['selfsubjectrulesreviews', 'selfsubjectaccessreviews'],
  evaluate(event, ctx) {
    if (event.verb !== 'create' || !event.notFailed) return null;
    const workload = identityClass(event, ctx.settings) === 'workload';
    const node = isNodeIdentity(event.user.username);
    const scripted = !isDefaultClientAgent(event.userAgent);
    if (!workload && !node && !scripted) return null;
    const why = workload ? 'a workload identity' : node ? 'a node identity' : `an unusual client (${event.userAgent || 'no user agent'})`;
    return {
      key: [event.user.username, event.resource],
      message: `${actorLabel(event)} enumerated its own permissions (${event.resource}) as ${why}`,
      evidence: { userAgent: event.userAgent || null, workload, node },
    };
  },
});
