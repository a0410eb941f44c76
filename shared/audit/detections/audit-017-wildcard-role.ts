import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';
import { hasWildcard, isRoleChange, ROLE_RESOURCES, roleRulesOf } from '../rbac.ts';
import type { AuditEvent } from '../event.ts';
import type { AuditSettings } from '../settings.ts';

/** The gate AUDIT-017 and AUDIT-018 share: a role write that did not fail, by neither control plane nor a configured installer. */
export function isReviewedRoleChange(event: AuditEvent, settings: AuditSettings): boolean {
  if (!isRoleChange(event) || !event.notFailed || isControlPlane(event, settings)) return false;
  const user = event.user.username;
  return !settings.isGitopsIdentity(user) && !settings.isOperatorIdentity(user);
}

export default registerDetection({
  id: 'AUDIT-017',
  severity: 'high',
  title: 'Role or ClusterRole with wildcard permissions',
  description: 'A non-control-plane identity (other than a configured GitOps or operator installer) created or changed a Role or ClusterRole with "*" in the resources or verbs of a rule (patches are judged on the stored object when the audit level logs it).',
  remediation: 'List the resources and verbs the role needs instead of "*"; wildcards grant every current and future resource, including escalation paths.',
  tier: 1,
  level: 'R',
  levelNote: 'RR for patch',
  mitre: ['T1098.006'],
  resources: ROLE_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  absorbs: ['AUDIT-018'],
  evaluate(event, ctx) {
    if (!isReviewedRoleChange(event, ctx.settings)) return null;
    const rules = roleRulesOf(event);
    if (!rules) {
      ctx.metric('spec_unavailable');
      return null;
    }
    const wildcard = rules.filter(hasWildcard);
    if (wildcard.length === 0) return null;
    const kind = event.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
    return {
      key: [event.resource, event.namespace, event.name],
      message: `${actorLabel(event)} ${event.verb === 'create' ? 'created' : 'changed'} ${kind} ${event.namespace ? `${event.namespace}/` : ''}${event.name} with wildcard permissions`,
      evidence: { rules: wildcard },
    };
  },
});
