import * as z from 'zod';
import { actorLabel, isControlPlane, registerDetection, type AuditEvent, type AuditSettings } from '../detection.ts';

const DELETABLE = new Set(['namespaces', 'daemonsets', 'deployments', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'serviceaccounts']);
const WORKLOADS = new Set(['daemonsets', 'deployments']);

/**
 * Node label keys every node (or every node of a well-known provider) can carry. A nodeSelector
 * key outside these and `audit.options.AUDIT-042.nodeLabelKeys` is taken as one no node satisfies.
 */
const WELL_KNOWN_NODE_LABEL_PREFIXES = [
  'kubernetes.io/',
  'beta.kubernetes.io/',
  'node.kubernetes.io/',
  'topology.kubernetes.io/',
  'failure-domain.beta.kubernetes.io/',
  'node-role.kubernetes.io/',
  'eks.amazonaws.com/',
  'karpenter.sh/',
  'karpenter.k8s.aws/',
  'cloud.google.com/',
  'kubernetes.azure.com/',
];

const optionsSchema = z.strictObject({
  /** Extra node label keys (exact, or a prefix ending in `/`) your nodes carry. */
  nodeLabelKeys: z.array(z.string().min(1)).default([]),
});
type Options = z.infer<typeof optionsSchema>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function isToolingTarget(event: AuditEvent, settings: AuditSettings): boolean {
  return (event.namespace !== '' && settings.isSecurityTooling(event.namespace)) || (event.name !== '' && settings.isSecurityTooling(event.name));
}

function replicas(body: Json | null): unknown {
  return isObject(body?.spec) ? body.spec.replicas : undefined;
}

/** nodeSelector keys of the pod template that no known node label provides. */
function unsatisfiableSelectorKeys(body: Json | null, options: Options): string[] {
  const template = isObject(body?.spec) && isObject(body.spec.template) ? body.spec.template : null;
  const selector = template && isObject(template.spec) && isObject(template.spec.nodeSelector) ? template.spec.nodeSelector : null;
  if (!selector) return [];
  const known = (key: string) =>
    WELL_KNOWN_NODE_LABEL_PREFIXES.some((p) => key.startsWith(p)) || options.nodeLabelKeys.some((k) => (k.endsWith('/') ? key.startsWith(k) : key === k));
  return Object.keys(selector).filter((key) => !known(key));
}

export default registerDetection<Options>({
  id: 'AUDIT-042',
  severity: 'high',
  tier: 2,
  level: 'M',
  levelNote: 'Request for the scale-down and nodeSelector variants',
  title: 'Security tooling removed or disabled',
  description:
    'A non-control-plane identity deletes a namespace, DaemonSet, Deployment, webhook configuration or service account of a security tool (audit.securityTooling: Falco, GuardDuty agent, Datadog, Sysdig, Falcon, Aqua, Shipwatch by default), or scales such a workload to zero replicas or pins it to a nodeSelector no node has.',
  remediation: 'Restore the tool from its release (Helm/GitOps), find out who removed it and why, and restrict write access to its namespace.',
  mitre: ['T1562.001'],
  resources: [...DELETABLE],
  optionsSchema,
  evaluate(event, ctx) {
    if (!event.notFailed || isControlPlane(event, ctx.settings) || !isToolingTarget(event, ctx.settings)) return null;
    const target = `${event.resource}${event.subresource ? `/${event.subresource}` : ''} ${event.namespace ? `${event.namespace}/` : ''}${event.name || '*'}`;
    if (event.verb === 'delete' && event.subresource === '') {
      return {
        key: [event.user.username, event.resource, event.namespace, event.name],
        message: `${actorLabel(event)} deleted security tooling: ${target}`,
        evidence: { action: 'delete' },
      };
    }
    if ((event.verb !== 'update' && event.verb !== 'patch') || !WORKLOADS.has(event.resource)) return null;
    if (event.subresource !== '' && event.subresource !== 'scale') return null;
    const body = event.writtenObject;
    if (body === null) {
      ctx.metric('request_unavailable');
      return null;
    }
    const scaledToZero = event.resource === 'deployments' && replicas(body) === 0;
    const selectorKeys = event.subresource === '' ? unsatisfiableSelectorKeys(body, ctx.options) : [];
    if (!scaledToZero && selectorKeys.length === 0) return null;
    return {
      key: [event.user.username, event.resource, event.namespace, event.name],
      message: scaledToZero
        ? `${actorLabel(event)} scaled security tooling to zero replicas: ${target}`
        : `${actorLabel(event)} pinned security tooling to a nodeSelector no known node label satisfies (${selectorKeys.join(', ')}): ${target}`,
      evidence: { action: scaledToZero ? 'scale-to-zero' : 'node-selector', nodeSelectorKeys: selectorKeys },
    };
  },
});
