import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';
import { BINDING_RESOURCES, bindingOf, isBindingChange } from '../rbac.ts';

export default registerDetection({
  id: 'AUDIT-016',
  severity: 'medium',
  title: 'Default service account granted permissions',
  description: "A non-control-plane identity bound a role to a namespace's default service account, which every pod without its own service account runs as; HIGH for a privileged role or a ClusterRoleBinding.",
  remediation: 'Create a dedicated service account for the workload that needs the permissions and bind the role to it; leave default without bindings.',
  tier: 2,
  level: 'R',
  mitre: ['T1098.006'],
  resources: BINDING_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  evaluate(event, ctx) {
    if (!isBindingChange(event) || !event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const binding = bindingOf(event);
    if (!binding) {
      ctx.metric('spec_unavailable');
      return null;
    }
    const defaults = binding.subjects.filter((s) => s.kind === 'ServiceAccount' && s.name === 'default');
    if (defaults.length === 0) return null;
    const cluster = event.resource === 'clusterrolebindings';
    const privileged = ctx.settings.privilegedRoles.has(binding.roleRef.name) && binding.roleRef.kind !== 'Role';
    // A subject without a namespace in a RoleBinding means the binding's namespace.
    const accounts = defaults.map((s) => `${s.namespace || event.namespace || '?'}/default`);
    return {
      key: [event.resource, event.namespace, event.name, accounts.join(',')],
      message: `${actorLabel(event)} bound ${binding.roleRef.name} to service account ${accounts.join(', ')} (${cluster ? 'cluster-wide' : `in ${event.namespace}`})`,
      severity: privileged || cluster ? 'high' : 'medium',
      evidence: { roleRef: binding.roleRef, subjects: binding.subjects, namespace: event.namespace || null },
    };
  },
});
