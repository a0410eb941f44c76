import { isMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

/** Long-running workloads only: a Job's containers are meant to exit. */
export const LONG_RUNNING_KINDS = ['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

export default containerRule({
  id: 'K8S-041',
  severity: 'low',
  title: 'No liveness probe',
  description: 'A container of a long-running workload (not Job or CronJob) has no livenessProbe, so a hung process is never restarted.',
  remediation: 'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails when the process is stuck.',
  compliance: ['NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  kinds: LONG_RUNNING_KINDS,
  lists: ['containers'],
  check(c) {
    if (isMap(c.container.livenessProbe)) return;
    return { path: [...c.path, 'livenessProbe'], message: `${describeContainer(c)} has no livenessProbe` };
  },
});
