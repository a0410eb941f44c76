import { isControlPlane, isNodeIdentity, registerDetection, actorLabel, type AuditEvent } from '../detection.ts';

const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

/** Kubelets and their bootstrap tokens request kubelet client certificates as a matter of course. */
function isNodeOrBootstrap(event: AuditEvent): boolean {
  const { username, groups } = event.user;
  return isNodeIdentity(username) || username.startsWith('system:bootstrap:') || groups.includes('system:nodes') || groups.includes('system:bootstrappers');
}

function csrSpec(event: AuditEvent): { signerName: string; usages: string[] } | null {
  const body = event.requestObject;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const spec = (body as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null) return null;
  const { signerName, usages } = spec as { signerName?: unknown; usages?: unknown };
  return {
    signerName: typeof signerName === 'string' ? signerName : '',
    usages: Array.isArray(usages) ? usages.filter((u): u is string => typeof u === 'string') : [],
  };
}

export default registerDetection({
  id: 'AUDIT-022',
  severity: 'high',
  tier: 1,
  level: 'R',
  levelNote: 'Request for the create (signer, usages); Metadata for approvals',
  title: 'Client-certificate CSR created or CSR approved',
  description:
    'A non-control-plane identity asks for an API-server client certificate (arbitrary user, or a kubelet certificate not requested by a node or bootstrap identity, or a legacy CSR with "client auth"), or approves a CSR itself: a long-lived credential outside RBAC review.',
  remediation:
    'Check who created or approved the CertificateSigningRequest and for which subject; deny or delete it if unexpected, and restrict create on certificatesigningrequests and update on certificatesigningrequests/approval.',
  mitre: ['T1649', 'T1098'],
  resources: ['certificatesigningrequests'],
  evaluate(event, ctx) {
    if (!event.notFailed || isControlPlane(event, ctx.settings)) return null;
    const name = event.name || '(unnamed)';
    if (event.subresource === 'approval') {
      if (event.verb !== 'update' && event.verb !== 'patch') return null;
      return {
        key: ['approval', event.user.username, event.name],
        message: `${actorLabel(event)} approved (or changed the approval of) certificate signing request ${name}`,
        evidence: { action: 'approval' },
      };
    }
    if (event.subresource !== '' || event.verb !== 'create') return null;
    const spec = csrSpec(event);
    if (spec === null) {
      ctx.metric('request_unavailable');
      return null;
    }
    let why: string | null = null;
    if (spec.signerName === CLIENT_SIGNER) why = `for an API-server client certificate (signer ${CLIENT_SIGNER})`;
    else if (spec.signerName === KUBELET_CLIENT_SIGNER && !isNodeOrBootstrap(event)) why = `for a kubelet client certificate without being a node or bootstrap identity`;
    else if (spec.signerName === '' && spec.usages.includes('client auth') && !isNodeOrBootstrap(event)) why = 'for a client certificate (legacy request with "client auth" usage and no signer)';
    if (why === null) return null;
    return {
      key: ['create', event.user.username, event.name],
      message: `${actorLabel(event)} created certificate signing request ${name} ${why}`,
      evidence: { action: 'create', signerName: spec.signerName || null, usages: spec.usages },
    };
  },
});
