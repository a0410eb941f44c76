import { k8sRule } from '../rule.ts';

/** An API version that Kubernetes stopped serving for some kinds, and what to use instead. */
interface RemovedApi {
  apiVersion: string;
  kinds: readonly string[];
  /** First Kubernetes minor version that no longer serves it. */
  removedIn: string;
  replacement: string;
}

const PSA = 'Pod Security Admission (the PodSecurityPolicy API itself was removed in 1.25)';

export const REMOVED_APIS: readonly RemovedApi[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removedIn: '1.16', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.16', replacement: PSA },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'apps/v1beta1', kinds: ['Deployment', 'StatefulSet', 'ControllerRevision'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'], removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'], removedIn: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removedIn: '1.22', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removedIn: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: '1.25', replacement: 'policy/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.25', replacement: 'Pod Security Admission' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], removedIn: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removedIn: '1.25', replacement: 'autoscaling/v2' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removedIn: '1.26', replacement: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: '1.27', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** "1.25" as a number that orders versions (1025); undefined for anything else. */
function versionOrder(v: string | null | undefined): number | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v?.trim() ?? '');
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

const removalOrder = (r: RemovedApi) => versionOrder(r.removedIn) ?? 0;

/** Without a configured target: the newest removal we know of, i.e. everything current Kubernetes no longer serves. */
const newestRemoval = REMOVED_APIS.reduce((newest, r) => (removalOrder(r) > removalOrder(newest) ? r : newest));
export const DEFAULT_TARGET_VERSION = newestRemoval.removedIn;

export default k8sRule({
  id: 'K8S-066',
  severity: 'low',
  title: 'Removed or deprecated API version',
  description: `The object's apiVersion and kind are no longer served by the target Kubernetes version (kubernetesVersion in .shipwatch.yaml; when unset, ${DEFAULT_TARGET_VERSION}, the newest removal this rule knows of, so everything already removed from current Kubernetes is reported).`,
  remediation: 'Move the object to the replacement API version named in the finding (kubectl convert can help) before upgrading the cluster.',
  compliance: ['NSA-CISA Upgrading and application security practices', 'NIST-800-190 4.4.1', 'PCI-DSS 6.3.3', 'PCI-DSS 12.3.4'],
  *check({ manifest, settings }) {
    const removed = REMOVED_APIS.find((r) => r.apiVersion === manifest.apiVersion && r.kinds.includes(manifest.kind));
    if (!removed) return;
    const target = versionOrder(settings.kubernetesVersion) ?? removalOrder(newestRemoval);
    if (removalOrder(removed) > target) return;
    yield {
      path: ['apiVersion'],
      message: `${manifest.apiVersion} ${manifest.kind} was removed in Kubernetes ${removed.removedIn}: use ${removed.replacement}`,
    };
  },
});
