import { actorLabel, registerDetection } from '../detection.ts';
import { BINDING_RESOURCES, bindingOf, isBindingChange, type Subject } from '../rbac.ts';

/** Roles the API server itself binds to system:authenticated. */
const PUBLIC_INFO_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer']);

function everyoneSubject(s: Subject, roleName: string): boolean {
  if (s.kind === 'User' && s.name === 'system:anonymous') return true;
  if (s.kind === 'Group' && s.name === 'system:unauthenticated') return true;
  return s.kind === 'Group' && s.name === 'system:authenticated' && !PUBLIC_INFO_ROLES.has(roleName);
}

export default registerDetection({
  id: 'AUDIT-015',
  severity: 'critical',
  title: 'Binding grants access to anonymous or all users',
  description: 'A RoleBinding or ClusterRoleBinding was created or changed with subject system:anonymous, system:unauthenticated, or system:authenticated bound to anything beyond the built-in discovery roles.',
  remediation: 'Delete the binding or remove the subject at once; then review what anonymous or any authenticated user could do since it was created.',
  tier: 1,
  level: 'R',
  mitre: ['T1098.006', 'T1078.001'],
  resources: BINDING_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  evaluate(event, ctx) {
    // The only exception: the API server reconciling its own bootstrap bindings.
    if (!isBindingChange(event) || !event.notFailed || event.user.username === 'system:apiserver') return null;
    const binding = bindingOf(event);
    if (!binding) {
      ctx.metric('spec_unavailable');
      return null;
    }
    const everyone = binding.subjects.filter((s) => everyoneSubject(s, binding.roleRef.name));
    if (everyone.length === 0) return null;
    return {
      key: [event.resource, event.namespace, event.name],
      message: `${actorLabel(event)} bound ${binding.roleRef.kind || 'role'} ${binding.roleRef.name} to ${everyone.map((s) => s.name).join(', ')} in ${event.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : `RoleBinding ${event.namespace}/`}${event.resource === 'clusterrolebindings' ? ` ${event.name}` : event.name}`,
      evidence: { roleRef: binding.roleRef, subjects: binding.subjects, namespace: event.namespace || null },
    };
  },
});
