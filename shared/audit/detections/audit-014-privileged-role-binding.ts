import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';
import { BINDING_RESOURCES, bindingOf, isBindingChange } from '../rbac.ts';

export default registerDetection({
  id: 'AUDIT-014',
  severity: 'high',
  title: 'Binding to a highly privileged role',
  description: 'A non-control-plane identity (other than a configured GitOps/IaC identity) created or changed a RoleBinding or ClusterRoleBinding to cluster-admin, admin, system:kube-controller-manager, system:kube-scheduler, system:node or a configured privileged role.',
  remediation: 'Confirm the grant was approved; bind the narrowest role that works, through the GitOps pipeline. List the pipeline identities in audit.gitopsIdentities by exact username.',
  tier: 1,
  level: 'R',
  levelNote: 'RR for patch',
  mitre: ['T1098.006'],
  resources: BINDING_RESOURCES,
  verbs: ['create', 'update', 'patch'],
  evaluate(event, ctx) {
    if (!isBindingChange(event) || !event.notFailed || isControlPlane(event, ctx.settings)) return null;
    if (ctx.settings.isGitopsIdentity(event.user.username)) return null;
    const binding = bindingOf(event);
    if (!binding) {
      ctx.metric('spec_unavailable');
      return null;
    }
    const { roleRef, subjects } = binding;
    // The privileged names are ClusterRoles; a namespaced Role that happens to be called "admin" is not one of them.
    if (roleRef.kind === 'Role' || !ctx.settings.privilegedRoles.has(roleRef.name)) return null;
    const kind = event.resource === 'clusterrolebindings' ? 'ClusterRoleBinding' : 'RoleBinding';
    return {
      key: [event.resource, event.namespace, event.name, roleRef.name],
      message: `${actorLabel(event)} ${event.verb === 'create' ? 'created' : 'changed'} ${kind} ${event.namespace ? `${event.namespace}/` : ''}${event.name} granting ${roleRef.name} to ${subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || '(no subjects)'}`,
      evidence: { roleRef, subjects, namespace: event.namespace || null },
    };
  },
});
