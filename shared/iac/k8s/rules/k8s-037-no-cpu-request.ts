import { asArray, asMap, getIn, type Manifest } from '../manifest.ts';
import { containerRule, describeContainer, type K8sContext } from '../rule.ts';
import { RESOURCE_CONTAINER_LISTS, type ContainerRef } from '../workload.ts';

// The request/limit checks of K8S-037…040 live here once; K8S-038…040 import them.
type Resource = 'cpu' | 'memory';
type Scope = Pick<K8sContext, 'manifest' | 'ofKind'>;

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/**
 * Whether a LimitRange of the workload's namespace (an omitted namespace on either side matches, as the
 * scanned set is deployed together) sets `<field>.<resource>` for containers: admission then fills it in.
 */
function limitRangeSets({ manifest, ofKind }: Scope, field: 'default' | 'defaultRequest', resource: Resource): boolean {
  const ns = manifest.namespace;
  return ofKind('LimitRange').some(
    (m: Manifest) =>
      (ns === null || m.namespace === null || m.namespace === ns) &&
      asArray(asMap(m.object.spec)?.limits).some((item) => asMap(item)?.type === 'Container' && isSet(getIn(item, [field, resource]))),
  );
}

/** A request is set, or follows from a limit (Kubernetes copies a limit into a missing request) or a LimitRange default. */
export function hasRequest(c: ContainerRef, scope: Scope, resource: Resource): boolean {
  return (
    isSet(getIn(c.container, ['resources', 'requests', resource])) ||
    isSet(getIn(c.container, ['resources', 'limits', resource])) ||
    limitRangeSets(scope, 'defaultRequest', resource) ||
    limitRangeSets(scope, 'default', resource)
  );
}

/** A limit is set on the container or defaulted by a LimitRange. */
export function hasLimit(c: ContainerRef, scope: Scope, resource: Resource): boolean {
  return isSet(getIn(c.container, ['resources', 'limits', resource])) || limitRangeSets(scope, 'default', resource);
}

export default containerRule({
  id: 'K8S-037',
  severity: 'low',
  title: 'No CPU request',
  description: 'A container (containers or initContainers) sets neither resources.requests.cpu nor resources.limits.cpu, and no LimitRange of its namespace supplies a default.',
  remediation: 'Set resources.requests.cpu to what the container needs, so the scheduler places it on a node with room.',
  compliance: ['NSA-CISA Network separation: resource policies', 'NIST-800-190 4.4.3', 'MITRE T1499', 'MITRE T1496'],
  lists: RESOURCE_CONTAINER_LISTS,
  check(c, _pod, ctx) {
    if (hasRequest(c, ctx, 'cpu')) return;
    return { path: [...c.path, 'resources', 'requests', 'cpu'], message: `${describeContainer(c)} sets neither resources.requests.cpu nor resources.limits.cpu` };
  },
});
