import { actorLabel, isPlatformActivity, isPlatformNamespace, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-038',
  severity: 'low',
  tier: 2,
  level: 'M',
  title: 'DaemonSet created by a non-platform actor',
  description:
    'A DaemonSet (one pod on every node) is created outside platform activity. MEDIUM when it lands in a platform namespace, where node agents with host access usually live.',
  remediation: 'Check the DaemonSet\'s image, host access and who created it; delete it if it is not a known node agent.',
  mitre: ['T1610'],
  resources: ['daemonsets'],
  evaluate(event, ctx) {
    if (event.verb !== 'create' || event.subresource !== '' || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const name = event.name || String((event.writtenObject?.metadata as { name?: unknown } | undefined)?.name ?? '');
    const platform = isPlatformNamespace(ctx.settings, event.namespace);
    return {
      key: [event.user.username, event.namespace, name],
      severity: platform ? 'medium' : undefined,
      message: `${actorLabel(event)} created DaemonSet ${event.namespace}/${name || '(unnamed)'}${platform ? ' in a platform namespace' : ''}`,
      resource: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: event.namespace || null, name: name || null },
    };
  },
});
