// Identity classes of catalog §0.2: control plane, workload, anonymous, external/human.
import { globMatcher } from './glob.ts';
import type { AuditUser } from './event.ts';

/** Built-in kube-controller-manager service accounts in kube-system (their tokens carry cluster-wide controller rights). */
export const BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS: readonly string[] = [
  'attachdetach-controller',
  'bootstrap-signer',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resource-claim-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'route-controller',
  'service-account-controller',
  'service-cidrs-controller',
  'service-controller',
  'statefulset-controller',
  'token-cleaner',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
];

/** Catalog defaults for the control-plane list (configurable: `audit.controlPlaneIdentities` adds to it; `*` is a wildcard). */
export const DEFAULT_CONTROL_PLANE_IDENTITIES: readonly string[] = [
  'system:apiserver',
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:kube-proxy',
  'system:node:*',
  ...BUILT_IN_CONTROLLER_SERVICE_ACCOUNTS.map((sa) => `system:serviceaccount:kube-system:${sa}`),
  'eks:*',
  'aksService',
];

export type IdentityClass = 'control-plane' | 'workload' | 'anonymous' | 'external';

const SA_PREFIX = 'system:serviceaccount:';
const NODE_PREFIX = 'system:node:';

/** `system:serviceaccount:<ns>:<name>` split, or null for any other username. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SA_PREFIX)) return null;
  const rest = username.slice(SA_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return null;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** A kubelet: `system:node:<name>`. */
export function isNodeIdentity(username: string): boolean {
  return username.startsWith(NODE_PREFIX) && username.length > NODE_PREFIX.length;
}

export function isAnonymous(user: AuditUser): boolean {
  return user.username === 'system:anonymous' || user.groups.includes('system:unauthenticated');
}

/** Classifies users against a control-plane list; results are cached per username. */
export class IdentityClassifier {
  private readonly isControlPlaneName: (username: string) => boolean;
  private readonly cache = new Map<string, boolean>();

  constructor(controlPlaneIdentities: readonly string[]) {
    this.isControlPlaneName = globMatcher(controlPlaneIdentities);
  }

  isControlPlane(username: string): boolean {
    if (username === '') return false;
    let cp = this.cache.get(username);
    if (cp === undefined) {
      cp = this.isControlPlaneName(username);
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(username, cp);
    }
    return cp;
  }

  classify(user: AuditUser): IdentityClass {
    if (isAnonymous(user)) return 'anonymous';
    if (this.isControlPlane(user.username)) return 'control-plane';
    if (serviceAccountOf(user.username)) return 'workload';
    return 'external';
  }
}
