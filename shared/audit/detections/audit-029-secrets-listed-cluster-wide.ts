import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-029',
  severity: 'high',
  tier: 1,
  level: 'M',
  title: 'Secrets listed cluster-wide or in kube-system',
  description:
    'A non-control-plane identity lists or watches secrets across all namespaces or in kube-system, where the cluster\'s most powerful tokens and keys live. Identities in audit.secretListers (default: kube-state-metrics) are expected to.',
  remediation: 'Confirm the caller needs every secret; otherwise remove list/watch on secrets from its roles and rotate the secrets it could read.',
  mitre: ['T1552.007'],
  resources: ['secrets'],
  evaluate(event, ctx) {
    if (event.verb !== 'list' && event.verb !== 'watch') return null;
    const namespace = event.namespace;
    if (namespace !== '' && namespace !== 'kube-system') return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings) || ctx.settings.isSecretLister(event.user.username)) return null;
    return {
      key: [event.user.username, namespace],
      message: `${actorLabel(event)} ${event.verb === 'list' ? 'listed' : 'watched'} secrets ${namespace === '' ? 'in all namespaces' : 'in kube-system'}`,
    };
  },
});
