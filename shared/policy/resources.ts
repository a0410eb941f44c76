/** How the API server names an object's kind in admission rules: its plural resource and its scope. */
export interface ResourceInfo {
  resource: string;
  /** null when unknown (a custom resource): scope constraints then do not exclude the object. */
  namespaced: boolean | null;
}

const namespaced = (resource: string): ResourceInfo => ({ resource, namespaced: true });
const clusterScoped = (resource: string): ResourceInfo => ({ resource, namespaced: false });

/** Built-in kinds (every group that serves them uses the same plural). */
const BUILT_IN: Record<string, ResourceInfo> = {
  Binding: namespaced('bindings'),
  ConfigMap: namespaced('configmaps'),
  Endpoints: namespaced('endpoints'),
  Event: namespaced('events'),
  LimitRange: namespaced('limitranges'),
  Namespace: clusterScoped('namespaces'),
  Node: clusterScoped('nodes'),
  PersistentVolume: clusterScoped('persistentvolumes'),
  PersistentVolumeClaim: namespaced('persistentvolumeclaims'),
  Pod: namespaced('pods'),
  PodTemplate: namespaced('podtemplates'),
  ReplicationController: namespaced('replicationcontrollers'),
  ResourceQuota: namespaced('resourcequotas'),
  Secret: namespaced('secrets'),
  Service: namespaced('services'),
  ServiceAccount: namespaced('serviceaccounts'),
  ControllerRevision: namespaced('controllerrevisions'),
  DaemonSet: namespaced('daemonsets'),
  Deployment: namespaced('deployments'),
  ReplicaSet: namespaced('replicasets'),
  StatefulSet: namespaced('statefulsets'),
  CronJob: namespaced('cronjobs'),
  Job: namespaced('jobs'),
  HorizontalPodAutoscaler: namespaced('horizontalpodautoscalers'),
  Ingress: namespaced('ingresses'),
  IngressClass: clusterScoped('ingressclasses'),
  NetworkPolicy: namespaced('networkpolicies'),
  PodDisruptionBudget: namespaced('poddisruptionbudgets'),
  PodSecurityPolicy: clusterScoped('podsecuritypolicies'),
  ClusterRole: clusterScoped('clusterroles'),
  ClusterRoleBinding: clusterScoped('clusterrolebindings'),
  Role: namespaced('roles'),
  RoleBinding: namespaced('rolebindings'),
  CSIDriver: clusterScoped('csidrivers'),
  CSINode: clusterScoped('csinodes'),
  CSIStorageCapacity: namespaced('csistoragecapacities'),
  StorageClass: clusterScoped('storageclasses'),
  VolumeAttachment: clusterScoped('volumeattachments'),
  PriorityClass: clusterScoped('priorityclasses'),
  RuntimeClass: clusterScoped('runtimeclasses'),
  Lease: namespaced('leases'),
  EndpointSlice: namespaced('endpointslices'),
  CustomResourceDefinition: clusterScoped('customresourcedefinitions'),
  APIService: clusterScoped('apiservices'),
  CertificateSigningRequest: clusterScoped('certificatesigningrequests'),
  MutatingWebhookConfiguration: clusterScoped('mutatingwebhookconfigurations'),
  ValidatingWebhookConfiguration: clusterScoped('validatingwebhookconfigurations'),
  ValidatingAdmissionPolicy: clusterScoped('validatingadmissionpolicies'),
  ValidatingAdmissionPolicyBinding: clusterScoped('validatingadmissionpolicybindings'),
  FlowSchema: clusterScoped('flowschemas'),
  PriorityLevelConfiguration: clusterScoped('prioritylevelconfigurations'),
};

/**
 * The resource of a kind: the table for built-in kinds, otherwise the English plural custom resource
 * definitions almost always declare (databases, policies, gateways, mailboxes).
 */
export function resourceOf(kind: string): ResourceInfo {
  const known = BUILT_IN[kind];
  if (known) return known;
  const lower = kind.toLowerCase();
  let resource = `${lower}s`;
  if (/(?:s|x|z|ch|sh)$/.test(lower)) resource = `${lower}es`;
  else if (/[^aeiou]y$/.test(lower)) resource = `${lower.slice(0, -1)}ies`;
  return { resource, namespaced: null };
}

/** `apps/v1` → group `apps`, version `v1`; `v1` → the core group `""`. */
export function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
