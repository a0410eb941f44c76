import * as z from 'zod';
import { asMap, asString, type Manifest } from '../manifest.ts';
import { k8sRule } from '../rule.ts';

/** Built-in kinds that live outside any namespace (a namespace on them is ignored by the API server). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'VolumeAttributesClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'CustomResourceDefinition', 'APIService', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'PodSecurityPolicy', 'CertificateSigningRequest',
  'ClusterTrustBundle', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'IPAddress', 'ServiceCIDR', 'DeviceClass',
  'ResourceSlice', 'StorageVersionMigration', 'TokenReview', 'SubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
  'SelfSubjectReview',
]);

const options = z.object({
  /** Cluster-scoped custom resource kinds whose CustomResourceDefinition is not in the scanned set. */
  clusterScopedKinds: z.array(z.string()).default([]),
});

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** A CustomResourceDefinition in the scanned set declares the object's kind cluster-scoped. */
function clusterScopedByCrd(m: Manifest, crds: readonly Manifest[]): boolean {
  return crds.some((crd) => {
    const spec = asMap(crd.object.spec);
    return spec?.scope === 'Cluster' && asString(asMap(spec.names)?.kind) === m.kind && spec.group === groupOf(m.apiVersion);
  });
}

export default k8sRule({
  id: 'K8S-047',
  severity: 'low',
  title: 'Object in the default namespace',
  description:
    'A namespaced object sets metadata.namespace: default explicitly. Objects without a namespace are not reported: kustomize, Helm or the deploy tool decides theirs.',
  remediation: 'Deploy into a dedicated namespace (set metadata.namespace, or leave it out and let kustomize or the deploy tool set it).',
  compliance: ['CIS-K8S 5.7.4', 'CIS-K8S 5.7.1', 'NSA-CISA Network separation: namespaces', 'NIST-800-190 4.3.4', 'PCI-DSS 2.2.3', 'PCI-DSS 2.2.1', 'MITRE T1610'],
  optionsSchema: options,
  *check({ manifest: m, ofKind, options }) {
    if (m.namespace !== 'default') return;
    if (CLUSTER_SCOPED_KINDS.has(m.kind) || options.clusterScopedKinds.includes(m.kind) || clusterScopedByCrd(m, ofKind('CustomResourceDefinition'))) return;
    yield { path: ['metadata', 'namespace'], message: `${m.kind} "${m.name ?? '?'}" is placed in the default namespace` };
  },
});
