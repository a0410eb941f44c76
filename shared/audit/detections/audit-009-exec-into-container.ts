import { actorLabel, isPlatformActivity, isPlatformNamespace, registerDetection, STREAM_VERBS } from '../detection.ts';
import { execRequestOf } from '../exec.ts';

export default registerDetection({
  id: 'AUDIT-009',
  severity: 'medium',
  title: 'Interactive access to a container (exec / attach)',
  description: 'Someone ran kubectl exec or attach into a pod (pods/exec or pods/attach, verb create or get) and the request did not fail; HIGH in a platform namespace.',
  remediation: 'Confirm the session was expected. Allow-list routine tooling (CI runners, backup jobs, on-call debugging) as audit.exceptions matching user, namespace, pod name prefix and command; restrict pods/exec in RBAC.',
  tier: 1,
  level: 'M',
  mitre: ['T1609'],
  resources: ['pods'],
  verbs: ['create', 'get'],
  evaluate(event, ctx) {
    if (event.subresource !== 'exec' && event.subresource !== 'attach') return null;
    if (!STREAM_VERBS.has(event.verb) || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const exec = execRequestOf(event);
    const platform = isPlatformNamespace(ctx.settings, event.namespace);
    const what = event.subresource === 'exec' ? `exec ${exec.commandLine ? `"${exec.commandLine}"` : '(no command)'}` : 'attach';
    return {
      key: [event.user.username, event.namespace, event.name],
      message: `${actorLabel(event)} ran ${what} in pod ${event.namespace}/${event.name}${exec.container ? ` (container ${exec.container})` : ''}`,
      severity: platform ? 'high' : 'medium',
      container: exec.container || null,
      command: exec.commandLine,
      evidence: { subresource: event.subresource, command: exec.argv, container: exec.container || null, tty: exec.tty, stdin: exec.stdin, pod: event.name, namespace: event.namespace },
    };
  },
});
