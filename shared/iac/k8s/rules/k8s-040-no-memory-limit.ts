import { containerRule, describeContainer } from '../rule.ts';
import { RESOURCE_CONTAINER_LISTS } from '../workload.ts';
import { hasLimit } from './k8s-037-no-cpu-request.ts';

export default containerRule({
  id: 'K8S-040',
  severity: 'medium',
  title: 'No memory limit',
  description: 'A container (containers or initContainers) lacks resources.limits.memory and no LimitRange of its namespace supplies a default, so it can exhaust node memory and disturb its neighbours.',
  remediation: 'Set resources.limits.memory (usually equal to the memory request).',
  compliance: ['NSA-CISA Network separation: resource policies', 'NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  lists: RESOURCE_CONTAINER_LISTS,
  check(c, _pod, ctx) {
    if (hasLimit(c, ctx, 'memory')) return;
    return { path: [...c.path, 'resources', 'limits', 'memory'], message: `${describeContainer(c)} has no resources.limits.memory` };
  },
});
