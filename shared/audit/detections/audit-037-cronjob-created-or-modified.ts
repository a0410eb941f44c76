import { actorLabel, CHANGE_VERBS, isPlatformActivity, registerDetection } from '../detection.ts';

export default registerDetection({
  id: 'AUDIT-037',
  severity: 'low',
  tier: 2,
  level: 'M',
  levelNote: 'Request to evaluate the job template with AUDIT-001…007',
  title: 'CronJob created or modified',
  description: 'A CronJob is created or changed outside platform activity in a platform namespace: scheduled jobs are a classic way to persist in a cluster.',
  remediation: 'Check the CronJob\'s schedule, image and command, and who deployed it; delete it if it is not part of a known release.',
  mitre: ['T1053.007'],
  resources: ['cronjobs'],
  evaluate(event, ctx) {
    if (!CHANGE_VERBS.has(event.verb) || event.subresource !== '' || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const name = event.name || String((event.writtenObject?.metadata as { name?: unknown } | undefined)?.name ?? '');
    return {
      key: [event.user.username, event.namespace, name],
      message: `${actorLabel(event)} ${event.verb === 'create' ? 'created' : 'changed'} CronJob ${event.namespace}/${name || '(unnamed)'}`,
      resource: { apiVersion: 'batch/v1', kind: 'CronJob', namespace: event.namespace || null, name: name || null },
    };
  },
});
