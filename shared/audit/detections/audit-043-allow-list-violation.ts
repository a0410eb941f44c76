import { actorLabel, isControlPlane, registerDetection, type AuditEvent, type DetectionMatch } from '../detection.ts';

/** The created object's name: objectRef.name, or the request body's metadata.name on older API servers. */
function createdName(event: AuditEvent): string {
  if (event.name) return event.name;
  const meta = (event.requestObject as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : '';
}

/** Docker Hub short forms (`nginx`, `bitnami/redis`) spelled out, so `docker.io/` allow-lists them. */
export function qualifiedImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return image;
  return slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
}

export default registerDetection({
  id: 'AUDIT-043',
  severity: 'medium',
  tier: 3,
  // Each sub-check runs once its list is configured (audit.allowLists.users / namespaces / registries / nodes).
  enabledByDefault: true,
  level: 'M',
  levelNote: 'Request for images; off until an allow-list is configured',
  title: 'Allow-list policy violation',
  description:
    'With audit.allowLists configured, any of: a request by a user outside the allowed users (control-plane and provider identities are always allowed), a namespace created outside the allowed namespaces, a pod or workload image outside the allowed registries, a Node registered whose name is not allowed. Each list enables its own check.',
  remediation: 'Either the actor, namespace, image or node is unexpected (investigate and remove it) or the allow-list is out of date (add it in .shipwatch.yaml).',
  mitre: ['T1078', 'T1610'],
  isConfigured: ({ allowLists }) => allowLists.users !== null || allowLists.namespaces !== null || allowLists.registries !== null || allowLists.nodes !== null,
  evaluate(event, ctx) {
    if (!event.notFailed) return null;
    const lists = ctx.settings.allowLists;
    const matches: DetectionMatch[] = [];
    const username = event.user.username;
    if (lists.users && !isControlPlane(event, ctx.settings) && !lists.users(username)) {
      matches.push({ key: ['user', username], message: `${actorLabel(event)} is not on the allowed-user list (${event.verb || 'request'} ${event.requestURI || ''})`.trim(), evidence: { check: 'users' } });
    }
    if (event.verb === 'create' && event.subresource === '') {
      if (lists.namespaces && event.resource === 'namespaces') {
        const name = createdName(event);
        if (!lists.namespaces(name)) {
          matches.push({ key: ['namespace', name], message: `${actorLabel(event)} created namespace ${name || '(unnamed)'}, which is not on the allowed-namespace list`, evidence: { check: 'namespaces' } });
        }
      }
      if (lists.nodes && event.resource === 'nodes') {
        const name = createdName(event);
        if (!lists.nodes(name)) {
          matches.push({ key: ['node', name], message: `Node ${name || '(unnamed)'} registered by ${actorLabel(event)} is not on the allowed-node list`, evidence: { check: 'nodes' } });
        }
      }
    }
    if (lists.registries) {
      const spec = ctx.podSpec();
      const allowed = lists.registries;
      const outside = spec?.images.filter((image) => image !== '' && !allowed.some((prefix) => image.startsWith(prefix) || qualifiedImage(image).startsWith(prefix))) ?? [];
      if (spec && outside.length > 0) {
        matches.push({
          key: ['registry', event.namespace, spec.owner, outside.join(',')],
          message: `${spec.owner} in ${event.namespace || '(no namespace)'} uses images outside the allowed registries: ${outside.join(', ')}`,
          images: outside,
          evidence: { check: 'registries', images: outside },
        });
      }
    }
    return matches;
  },
});
