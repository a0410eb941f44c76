import { actorLabel, CHANGE_VERBS, registerDetection, type AuditSettings, type AuditEvent } from '../detection.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The admin-UI selector (audit.adminUiSelectors, key=value) that the service's selector includes, if any. */
function adminUiSelected(settings: AuditSettings, selector: Json): string | null {
  for (const { key, value } of settings.adminUiSelectors) if (selector[key] === value) return `${key}=${value}`;
  return null;
}

function serviceName(event: AuditEvent, body: Json): string {
  return event.name || String((body.metadata as { name?: unknown } | undefined)?.name ?? '');
}

export default registerDetection({
  id: 'AUDIT-039',
  severity: 'medium',
  tier: 1,
  level: 'R',
  title: 'Service exposed outside the cluster network',
  description:
    'A Service is written as NodePort (MEDIUM), with externalIPs (HIGH: lets a Service capture traffic for any address, CVE-2020-8554), or as NodePort/LoadBalancer in front of a known admin UI such as the Kubernetes dashboard, Kubeflow or Argo (HIGH).',
  remediation:
    'Use ClusterIP behind an authenticated ingress for admin UIs; drop externalIPs (and block them with an admission policy); list intentional NodePorts as exceptions.',
  mitre: ['T1133'],
  resources: ['services'],
  evaluate(event, ctx) {
    if (!CHANGE_VERBS.has(event.verb) || event.subresource !== '' || !event.notFailed) return null;
    const body = event.writtenObject;
    if (body === null) {
      ctx.metric('request_unavailable');
      return null;
    }
    const spec = isObject(body.spec) ? body.spec : null;
    if (!spec) return null;
    const type = typeof spec.type === 'string' ? spec.type : '';
    const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.filter((ip): ip is string => typeof ip === 'string') : [];
    const adminUi = (type === 'NodePort' || type === 'LoadBalancer') && isObject(spec.selector) ? adminUiSelected(ctx.settings, spec.selector) : null;
    let variant: 'externalIPs' | 'admin-ui' | 'node-port' | null = null;
    if (externalIPs.length > 0) variant = 'externalIPs';
    else if (adminUi) variant = 'admin-ui';
    else if (type === 'NodePort') variant = 'node-port';
    if (variant === null) return null;
    const name = serviceName(event, body);
    const target = `${event.namespace}/${name || '(unnamed)'}`;
    const message =
      variant === 'externalIPs'
        ? `${actorLabel(event)} set externalIPs ${externalIPs.join(', ')} on Service ${target}`
        : variant === 'admin-ui'
          ? `${actorLabel(event)} exposed admin UI (${adminUi}) through ${type} Service ${target}`
          : `${actorLabel(event)} exposed Service ${target} as NodePort`;
    return {
      key: [event.namespace, name, variant],
      severity: variant === 'node-port' ? undefined : 'high',
      message,
      resource: { apiVersion: 'v1', kind: 'Service', namespace: event.namespace || null, name: name || null },
      evidence: { type: type || null, externalIPs, adminUiSelector: adminUi, ports: Array.isArray(spec.ports) ? spec.ports : [] },
    };
  },
});
