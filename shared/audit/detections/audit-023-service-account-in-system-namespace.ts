import { actorLabel, isControlPlane, registerDetection, BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS, type AuditEvent } from '../detection.ts';

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
/** Service accounts Kubernetes itself creates there: the controllers' and every namespace's `default`. */
const BUILT_IN = new Set(['default', ...BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS]);

/** The created object's name: objectRef.name, or the request body's metadata.name on older API servers. */
function createdName(event: AuditEvent): string {
  if (event.name) return event.name;
  const meta = (event.requestObject as { metadata?: { name?: unknown } } | null)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : '';
}

export default registerDetection({
  id: 'AUDIT-023',
  severity: 'medium',
  tier: 2,
  level: 'M',
  title: 'Service account created in a system namespace',
  description:
    'A non-control-plane identity creates a service account in kube-system, kube-public or kube-node-lease under a name that is not one of the built-in ones: a place to hide an identity next to the cluster components.',
  remediation: 'Confirm the service account belongs to an installed component; otherwise delete it and review what it was bound to.',
  mitre: ['T1136'],
  resources: ['serviceaccounts'],
  evaluate(event, ctx) {
    if (event.verb !== 'create' || event.subresource !== '' || !SYSTEM_NAMESPACES.has(event.namespace)) return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const name = createdName(event);
    if (BUILT_IN.has(name)) return null;
    return {
      key: [event.user.username, event.namespace, name],
      message: `${actorLabel(event)} created service account ${event.namespace}/${name || '(unnamed)'} in a system namespace`,
      resource: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: event.namespace, name: name || null },
    };
  },
});
