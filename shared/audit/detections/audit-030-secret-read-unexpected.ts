import { actorLabel, identityClass, isNodeIdentity, registerDetection, serviceAccountOf } from '../detection.ts';

const READ_VERBS = new Set(['get', 'list', 'watch']);
/** Generic HTTP libraries and attack distributions: not how operators and controllers talk to the API. */
const SCRIPTED_AGENTS = ['curl/', 'wget/', 'python-requests', 'aiohttp', 'go-http-client', 'okhttp', 'kali'];

function scriptedAgent(userAgent: string): string | null {
  const ua = userAgent.toLowerCase();
  return SCRIPTED_AGENTS.find((marker) => ua.includes(marker)) ?? null;
}

export default registerDetection({
  id: 'AUDIT-030',
  severity: 'medium',
  tier: 2,
  level: 'M',
  title: 'Secret read by an unexpected identity or scripted client',
  description:
    'A secret read succeeded where it should not happen: a service account reading another namespace\'s secrets (unless the pair is in audit.crossNamespaceSecretReaders), a read through curl/wget/python-requests-like clients, or a node listing or watching secrets. Service accounts reading their own namespace never fire.',
  remediation: 'Find the workload or script behind the credential; remove the cross-namespace grant or rotate the credential and the secrets it read.',
  mitre: ['T1552.007'],
  resources: ['secrets'],
  evaluate(event, ctx) {
    if (!READ_VERBS.has(event.verb) || event.outcome !== 'succeeded') return null;
    const username = event.user.username;
    const reasons: string[] = [];
    // Kubelets are control plane, but a kubelet only ever gets the secrets of its own pods.
    if (isNodeIdentity(username) && (event.verb === 'list' || event.verb === 'watch')) reasons.push('node identity listing secrets');
    else if (identityClass(event, ctx.settings) === 'control-plane') return null;
    else {
      const sa = identityClass(event, ctx.settings) === 'workload' ? serviceAccountOf(username) : null;
      if (sa && sa.namespace !== event.namespace && !ctx.settings.crossNamespaceSecretReaders.some((p) => p.user(username) && p.namespace(event.namespace))) {
        reasons.push(`service account of namespace ${sa.namespace} reading ${event.namespace === '' ? 'all namespaces' : `namespace ${event.namespace}`}`);
      }
      const agent = scriptedAgent(event.userAgent);
      if (agent) reasons.push(`scripted client (${event.userAgent})`);
    }
    if (reasons.length === 0) return null;
    return {
      key: [username, event.namespace],
      message: `${actorLabel(event)} read secrets (${event.verb} ${event.namespace || '*'}/${event.name || '*'}): ${reasons.join('; ')}`,
      evidence: { reasons, userAgent: event.userAgent || null },
    };
  },
});
