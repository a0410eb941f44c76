import { containerRule, describeContainer } from '../rule.ts';
import { RESOURCE_CONTAINER_LISTS } from '../workload.ts';
import { hasLimit } from './k8s-037-no-cpu-request.ts';

export default containerRule({
  id: 'K8S-038',
  severity: 'low',
  title: 'No CPU limit',
  description:
    'A container (containers or initContainers) lacks resources.limits.cpu and no LimitRange of its namespace supplies a default. Many teams deliberately run without CPU limits: disable the rule per repository.',
  remediation: 'Set resources.limits.cpu, or disable K8S-038 in .shipwatch.yaml if CPU limits are deliberately not used.',
  compliance: ['NSA-CISA Network separation: resource policies', 'NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  lists: RESOURCE_CONTAINER_LISTS,
  check(c, _pod, ctx) {
    if (hasLimit(c, ctx, 'cpu')) return;
    return { path: [...c.path, 'resources', 'limits', 'cpu'], message: `${describeContainer(c)} has no resources.limits.cpu` };
  },
});
