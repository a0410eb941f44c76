import { actorLabel, isPlatformActivity, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-040',
  severity: 'low',
  tier: 3,
  // Hygiene check that needs no list: on unless disabled (catalog: configurable, not off until configured).
  enabledByDefault: true,
  level: 'R',
  title: 'Ingress created without TLS',
  description: 'An Ingress is created outside platform activity with no spec.tls section, so it serves plain HTTP.',
  remediation: 'Add a tls section with a certificate (e.g. through cert-manager) and redirect HTTP to HTTPS.',
  mitre: [],
  resources: ['ingresses'],
  evaluate(event, ctx) {
    if (event.verb !== 'create' || event.subresource !== '' || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const body = event.writtenObject;
    if (body === null) {
      ctx.metric('request_unavailable');
      return null;
    }
    const spec = body.spec as { tls?: unknown } | undefined;
    if (Array.isArray(spec?.tls) && spec.tls.length > 0) return null;
    const name = event.name || String((body.metadata as { name?: unknown } | undefined)?.name ?? '');
    return {
      key: [event.namespace, name],
      message: `${actorLabel(event)} created Ingress ${event.namespace}/${name || '(unnamed)'} without TLS`,
      resource: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: event.namespace || null, name: name || null },
    };
  },
});
