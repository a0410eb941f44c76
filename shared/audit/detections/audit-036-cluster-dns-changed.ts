import { actorLabel, isControlPlane, registerDetection } from '../detection.ts';

const DNS_CONFIGMAPS = new Set(['coredns', 'coredns-custom', 'kube-dns']);
const MODIFY_VERBS = new Set(['update', 'patch', 'delete']);
const COREDNS_SERVICE_ACCOUNT = 'system:serviceaccount:kube-system:coredns';

export default registerDetection({
  id: 'AUDIT-036',
  severity: 'medium',
  tier: 2,
  level: 'M',
  title: 'Cluster DNS (CoreDNS) configuration changed',
  description:
    'The CoreDNS / kube-dns configuration in kube-system is changed or deleted by an identity that is neither control plane (the EKS add-on manager is) nor CoreDNS itself: a way to redirect in-cluster names to an attacker.',
  remediation: 'Diff the Corefile against the expected configuration (rewrite, forward and hosts blocks) and revert unexpected changes.',
  mitre: ['T1565', 'T1557'],
  resources: ['configmaps'],
  evaluate(event, ctx) {
    if (event.namespace !== 'kube-system' || !DNS_CONFIGMAPS.has(event.name) || !MODIFY_VERBS.has(event.verb) || event.subresource !== '') return null;
    if (!event.notFailed || isControlPlane(event, ctx.settings) || event.user.username === COREDNS_SERVICE_ACCOUNT) return null;
    return {
      key: [event.user.username, event.name],
      message: `${actorLabel(event)} ${event.verb === 'delete' ? 'deleted' : 'changed'} the cluster DNS configuration kube-system/${event.name}`,
    };
  },
});
