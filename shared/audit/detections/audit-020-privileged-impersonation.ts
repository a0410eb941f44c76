import { actorLabel, registerDetection } from '../detection.ts';

const PRIVILEGED_USERS = new Set(['system:admin', 'cluster-admin', 'kubernetes-admin']);

export default registerDetection({
  id: 'AUDIT-020',
  severity: 'high',
  title: 'Impersonation of a privileged identity',
  description: 'A request impersonated system:admin, cluster-admin, kubernetes-admin, a control-plane identity, a node, a kube-system service account or the system:masters group, and did not fail (configured impersonating proxies and EKS-managed actors excepted).',
  remediation: 'Find who holds the impersonate permission and why; restrict impersonate to named users/groups with resourceNames, and list access brokers in audit.impersonatingProxies.',
  tier: 1,
  level: 'M',
  mitre: ['T1134', 'T1078'],
  evaluate(event, ctx) {
    const target = event.impersonatedUser;
    if (!target || !event.notFailed) return null;
    const actor = event.user.username;
    if (actor.startsWith('eks:') || ctx.settings.isImpersonatingProxy(actor)) return null;
    const name = target.username;
    const privilegedUser =
      PRIVILEGED_USERS.has(name) || ctx.settings.identities.isControlPlane(name) || name.startsWith('system:node:') || name.startsWith('system:serviceaccount:kube-system:');
    const masters = target.groups.includes('system:masters');
    if (!privilegedUser && !masters) return null;
    return {
      key: [actor, name, masters],
      message: `${actorLabel(event)} acted as ${name || '(no user)'}${masters ? ' with group system:masters' : ''}`,
      evidence: { impersonatedUser: name, impersonatedGroups: target.groups, mastersGroup: masters },
    };
  },
});
