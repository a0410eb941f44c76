import { isMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import { LONG_RUNNING_KINDS } from './k8s-041-no-liveness-probe.ts';

export default containerRule({
  id: 'K8S-042',
  severity: 'low',
  title: 'No readiness probe',
  description: 'A container of a long-running workload (not Job or CronJob) has no readinessProbe, so it receives traffic before it is ready and while it is failing.',
  remediation: 'Add a readinessProbe that succeeds only when the container can serve requests.',
  compliance: ['NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  kinds: LONG_RUNNING_KINDS,
  lists: ['containers'],
  check(c) {
    if (isMap(c.container.readinessProbe)) return;
    return { path: [...c.path, 'readinessProbe'], message: `${describeContainer(c)} has no readinessProbe` };
  },
});
