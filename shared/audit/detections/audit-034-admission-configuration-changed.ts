import { actorLabel, isControlPlane, registerDetection, type AuditEvent } from '../detection.ts';

const CHANGE_OR_DELETE = new Set(['create', 'update', 'patch', 'delete']);
const WEBHOOK_CONFIGURATIONS = new Set(['mutatingwebhookconfigurations', 'validatingwebhookconfigurations']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True when a patch body only rotates CA bundles (cert-manager's CA injector, service meshes):
 * a JSON patch whose every operation targets a caBundle, or a merge patch whose every leaf is a
 * caBundle, a webhook's `name` (the list's merge key) or metadata.resourceVersion.
 */
export function onlyChangesCaBundle(patch: unknown): boolean {
  if (Array.isArray(patch)) {
    return patch.length > 0 && patch.every((op) => isObject(op) && typeof op.path === 'string' && /\/caBundle$/.test(op.path));
  }
  if (!isObject(patch)) return false;
  let caBundles = 0;
  const leavesAllowed = (value: unknown, path: string[]): boolean => {
    if (isObject(value)) return Object.entries(value).every(([k, v]) => leavesAllowed(v, [...path, k]));
    if (Array.isArray(value)) return value.every((v) => leavesAllowed(v, [...path, '[]']));
    const key = path[path.length - 1];
    if (key === 'caBundle') {
      caBundles++;
      return true;
    }
    if (key === 'name' && path.length === 3 && path[0] === 'webhooks') return true;
    if (key === '$patch' || (path.length === 2 && path[0] === 'metadata' && key === 'resourceVersion')) return true;
    return false;
  };
  return leavesAllowed(patch, []) && caBundles > 0;
}

/** Webhook targets and rules (Request level), for the reader of the alert. */
function webhookEvidence(event: AuditEvent): Record<string, unknown> {
  const body = event.writtenObject;
  if (!body || !WEBHOOK_CONFIGURATIONS.has(event.resource) || !Array.isArray(body.webhooks)) return {};
  return {
    webhooks: body.webhooks.filter(isObject).map((w) => {
      const client = isObject(w.clientConfig) ? w.clientConfig : {};
      const service = isObject(client.service) ? client.service : null;
      return {
        name: typeof w.name === 'string' ? w.name : null,
        url: typeof client.url === 'string' ? client.url : null,
        service: service ? `${String(service.namespace ?? '')}/${String(service.name ?? '')}` : null,
        failurePolicy: typeof w.failurePolicy === 'string' ? w.failurePolicy : null,
        rules: Array.isArray(w.rules) ? w.rules : [],
      };
    }),
  };
}

export default registerDetection({
  id: 'AUDIT-034',
  severity: 'high',
  tier: 1,
  level: 'M',
  levelNote: 'Request for webhook URLs and rules in the evidence; a caBundle-only patch is LOW',
  title: 'Admission webhook or policy configuration changed',
  description:
    'A mutating or validating webhook configuration, ValidatingAdmissionPolicy or its binding is created, changed or deleted by an identity that is neither control plane nor a configured operator (audit.operatorIdentities): a way to intercept every object or switch policy off. A patch that only rotates caBundle is reported as LOW.',
  remediation: 'Review the change (webhook URL/service, rules, failurePolicy, policy bindings); revert it if unexpected and restrict write access to admissionregistration.k8s.io.',
  mitre: ['T1546', 'T1552.007', 'T1562.001'],
  resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
  evaluate(event, ctx) {
    if (!CHANGE_OR_DELETE.has(event.verb) || event.subresource !== '' || !event.notFailed) return null;
    if (isControlPlane(event, ctx.settings) || ctx.settings.isOperatorIdentity(event.user.username)) return null;
    const caBundleOnly = event.verb === 'patch' && onlyChangesCaBundle(event.requestObject);
    const name = event.name || String((event.writtenObject?.metadata as { name?: unknown } | undefined)?.name ?? '');
    const verbed = { create: 'created', update: 'updated', patch: 'patched', delete: 'deleted' }[event.verb as 'create' | 'update' | 'patch' | 'delete'];
    return {
      key: [event.user.username, event.resource, name],
      severity: caBundleOnly ? 'low' : undefined,
      message: `${actorLabel(event)} ${verbed} ${event.resource} ${name || '(unnamed)'}${caBundleOnly ? ' (caBundle only)' : ''}`,
      evidence: { caBundleOnly, ...webhookEvidence(event) },
    };
  },
});
