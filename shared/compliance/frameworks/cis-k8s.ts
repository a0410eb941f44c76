import type { ComplianceFramework } from '../framework.ts';

/**
 * CIS Kubernetes Benchmark, section 5 (policies). Manifest rules cite the items themselves; audit
 * detections are listed here: they see the same policy broken in a live cluster. Titles are paraphrased.
 */
export const cisK8s: ComplianceFramework = {
  id: 'cis-k8s',
  name: 'CIS Kubernetes Benchmark',
  version: 'v1.10',
  mappingVersion: '2026.11',
  refPrefix: 'CIS-K8S ',
  controls: [
    { id: '5.1.1', title: 'Bind the cluster-admin role only where it is really needed', rules: ['AUDIT-014', 'AUDIT-015'], automation: 'partial' },
    { id: '5.1.2', title: 'Keep read access to Secrets to a minimum', rules: ['AUDIT-029', 'AUDIT-030', 'AUDIT-031'], automation: 'partial' },
    { id: '5.1.3', title: 'Avoid wildcards in Roles and ClusterRoles', rules: ['AUDIT-017'], automation: 'automated' },
    { id: '5.1.4', title: 'Keep the right to create pods to a minimum', automation: 'partial' },
    { id: '5.1.5', title: 'Do not actively use the default service accounts', rules: ['AUDIT-016'], automation: 'automated' },
    { id: '5.1.6', title: 'Mount service account tokens only where they are needed', automation: 'automated' },
    { id: '5.1.7', title: 'Do not use the system:masters group', automation: 'automated' },
    { id: '5.1.8', title: 'Restrict the bind, impersonate and escalate permissions', rules: ['AUDIT-018', 'AUDIT-020'], automation: 'partial' },
    { id: '5.1.9', title: 'Keep the right to create persistent volumes to a minimum', automation: 'partial' },
    { id: '5.1.10', title: 'Restrict access to the proxy subresource of nodes', rules: ['AUDIT-013'], automation: 'partial' },
    { id: '5.1.11', title: 'Restrict who can approve certificate signing requests', rules: ['AUDIT-022'], automation: 'partial' },
    { id: '5.1.12', title: 'Restrict access to admission webhook configurations', rules: ['AUDIT-034'], automation: 'partial' },
    { id: '5.1.13', title: 'Restrict who can create service account tokens', rules: ['AUDIT-021'], automation: 'partial' },
    { id: '5.2.1', title: 'Have at least one active policy control mechanism for pods', automation: 'partial' },
    { id: '5.2.2', title: 'Keep privileged containers out', rules: ['AUDIT-001'], automation: 'automated' },
    { id: '5.2.3', title: 'Keep containers out of the host process ID namespace', rules: ['AUDIT-002'], automation: 'automated' },
    { id: '5.2.4', title: 'Keep containers out of the host IPC namespace', rules: ['AUDIT-002'], automation: 'automated' },
    { id: '5.2.5', title: 'Keep containers out of the host network namespace', rules: ['AUDIT-003'], automation: 'automated' },
    { id: '5.2.6', title: 'Keep out containers that allow privilege escalation', automation: 'automated' },
    { id: '5.2.7', title: 'Keep out containers that run as root', rules: ['IMG-001', 'IMG-003'], automation: 'automated' },
    { id: '5.2.8', title: 'Keep out containers with the NET_RAW capability', automation: 'automated' },
    { id: '5.2.9', title: 'Keep out containers that add capabilities', rules: ['AUDIT-006'], automation: 'automated' },
    { id: '5.2.10', title: 'Keep out containers that keep capabilities (drop them all)', automation: 'automated' },
    { id: '5.2.11', title: 'Keep out Windows HostProcess containers', automation: 'automated' },
    { id: '5.2.12', title: 'Keep out HostPath volumes', rules: ['AUDIT-004', 'AUDIT-005'], automation: 'automated' },
    { id: '5.2.13', title: 'Keep out containers that use host ports', automation: 'automated' },
    { id: '5.3.2', title: 'Define NetworkPolicies in every namespace', automation: 'partial' },
    { id: '5.4.1', title: 'Use Secrets as mounted files rather than environment variables', automation: 'automated' },
    { id: '5.4.2', title: 'Keep secrets in an external secret store', automation: 'partial' },
    { id: '5.5.1', title: 'Control where images come from (image provenance)', rules: ['IMG-065', 'AUDIT-007'], automation: 'partial' },
    { id: '5.7.1', title: 'Use namespaces as administrative boundaries between resources', automation: 'partial' },
    { id: '5.7.2', title: 'Give pods a seccomp profile', automation: 'automated' },
    { id: '5.7.3', title: 'Apply a security context to pods and containers', automation: 'partial' },
    { id: '5.7.4', title: 'Do not use the default namespace', automation: 'automated' },
  ],
};
