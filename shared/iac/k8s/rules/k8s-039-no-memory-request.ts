import { containerRule, describeContainer } from '../rule.ts';
import { RESOURCE_CONTAINER_LISTS } from '../workload.ts';
import { hasRequest } from './k8s-037-no-cpu-request.ts';

export default containerRule({
  id: 'K8S-039',
  severity: 'low',
  title: 'No memory request',
  description: 'A container (containers or initContainers) sets neither resources.requests.memory nor resources.limits.memory, and no LimitRange of its namespace supplies a default.',
  remediation: 'Set resources.requests.memory to what the container needs, so the scheduler places it on a node with room.',
  compliance: ['NSA-CISA Network separation: resource policies', 'NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  lists: RESOURCE_CONTAINER_LISTS,
  check(c, _pod, ctx) {
    if (hasRequest(c, ctx, 'memory')) return;
    return { path: [...c.path, 'resources', 'requests', 'memory'], message: `${describeContainer(c)} sets neither resources.requests.memory nor resources.limits.memory` };
  },
});
