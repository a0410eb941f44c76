import { actorLabel, registerDetection } from '../detection.ts';
import { coversResource, hasWildcard, ROLE_RESOURCES, roleRulesOf, type PolicyRule } from '../rbac.ts';
import { isReviewedRoleChange } from './audit-017-wildcard-role.ts';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** What makes a (wildcard-free) rule escalation-grade, or null. */
function escalation(rule: PolicyRule): string | null {
  const verbs = (wanted: readonly string[]) => rule.verbs.some((v) => wanted.includes(v));
  for (const r of ['pods/exec', 'pods/attach', 'nodes/proxy']) if (coversResource(rule, r)) return r;
  if (rule.resources.includes('nodes/*')) return 'nodes/*';
  if (coversResource(rule, 'secrets') && verbs(['get', 'list', 'watch'])) return 'read secrets';
  if (coversResource(rule, 'serviceaccounts/token') && verbs(['create'])) return 'create serviceaccounts/token';
  const special = rule.verbs.find((v) => v === 'impersonate' || v === 'escalate' || v === 'bind' || v === 'approve');
  if (special) return `verb ${special}`;
  if (coversResource(rule, 'certificatesigningrequests/approval') && verbs(['update', 'patch'])) return 'approve certificatesigningrequests';
  const webhook = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].find((r) => coversResource(rule, r));
  if (webhook && verbs(WRITE)) return `write ${webhook}`;
  return null;
}

export default registerDetection({
  id: 'AUDIT-018',
  severity: 'medium',
  title: 'Role grants escalation-grade permissions',
  description: 'A non-control-plane identity created or changed a Role or ClusterRole (without wildcards) granting pods/exec, pods/attach, nodes/proxy, reading secrets, minting service-account tokens, impersonate/escalate/bind/approve, CSR approval or writes to admission webhooks.',
  remediation: 'Confirm each escalation-grade permission is needed by the subjects bound to the role, and bind it as narrowly as possible (resourceNames, one namespace).',
  tier: 1,
  level: 'R',
  levelNote: 'RR for patch',
  mitre: ['T1098.006'],
  resources: ROLE_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  evaluate(event, ctx) {
    if (!isReviewedRoleChange(event, ctx.settings)) return null;
    const rules = roleRulesOf(event);
    if (!rules) {
      ctx.metric('spec_unavailable');
      return null;
    }
    // Wildcard roles are AUDIT-017's.
    if (rules.some(hasWildcard)) return null;
    const grants = rules.flatMap((rule) => {
      const why = escalation(rule);
      return why ? [{ grants: why, rule }] : [];
    });
    if (grants.length === 0) return null;
    const kind = event.resource === 'clusterroles' ? 'ClusterRole' : 'Role';
    return {
      key: [event.resource, event.namespace, event.name],
      message: `${actorLabel(event)} ${event.verb === 'create' ? 'created' : 'changed'} ${kind} ${event.namespace ? `${event.namespace}/` : ''}${event.name} granting ${[...new Set(grants.map((g) => g.grants))].join(', ')}`,
      evidence: { rules: grants.map((g) => g.rule), grants: grants.map((g) => g.grants) },
    };
  },
});
