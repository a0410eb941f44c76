import type { ComplianceFramework } from '../framework.ts';

/**
 * CIS Amazon EKS Benchmark: control-plane logging (2), worker nodes (3), policies (4) and the managed
 * services (5). EKS-/ECR- rules cite the items; the Kubernetes policies of section 4 are the CIS
 * Kubernetes section 5 items under other numbers, so they take the rules citing those (`refs`).
 * Titles are paraphrased.
 */
export const cisEks: ComplianceFramework = {
  id: 'cis-eks',
  name: 'CIS Amazon EKS Benchmark',
  version: 'v1.5',
  mappingVersion: '2026.11',
  refPrefix: 'CIS-EKS ',
  controls: [
    { id: '2.1.1', title: 'Send the control-plane audit logs (and the other log types) to CloudWatch', rules: ['EKS-004', 'EKS-007'], automation: 'automated' },
    { id: '3.1.1', title: 'Keep the kubeconfig files of worker nodes readable by their owner only', automation: 'manual' },
    { id: '3.2.1', title: 'Turn off anonymous authentication on the kubelet', automation: 'manual' },
    { id: '4.1.1', title: 'Bind the cluster-admin role only where it is really needed', refs: ['CIS-K8S 5.1.1'], rules: ['AUDIT-014', 'AUDIT-015'], automation: 'partial' },
    { id: '4.1.2', title: 'Keep read access to Secrets to a minimum', refs: ['CIS-K8S 5.1.2'], rules: ['AUDIT-029', 'AUDIT-030', 'AUDIT-031'], automation: 'partial' },
    { id: '4.1.3', title: 'Avoid wildcards in Roles and ClusterRoles', refs: ['CIS-K8S 5.1.3'], rules: ['AUDIT-017'], automation: 'automated' },
    { id: '4.1.4', title: 'Keep the right to create pods to a minimum', refs: ['CIS-K8S 5.1.4'], automation: 'partial' },
    { id: '4.1.5', title: 'Do not actively use the default service accounts', refs: ['CIS-K8S 5.1.5'], rules: ['AUDIT-016'], automation: 'automated' },
    { id: '4.1.6', title: 'Mount service account tokens only where they are needed', refs: ['CIS-K8S 5.1.6'], automation: 'automated' },
    { id: '4.1.8', title: 'Restrict the bind, impersonate and escalate permissions', refs: ['CIS-K8S 5.1.8'], rules: ['AUDIT-018', 'AUDIT-020'], automation: 'partial' },
    { id: '4.2.1', title: 'Keep privileged containers out', refs: ['CIS-K8S 5.2.2'], rules: ['AUDIT-001'], automation: 'automated' },
    { id: '4.2.2', title: 'Keep containers out of the host process ID namespace', refs: ['CIS-K8S 5.2.3'], rules: ['AUDIT-002'], automation: 'automated' },
    { id: '4.2.3', title: 'Keep containers out of the host IPC namespace', refs: ['CIS-K8S 5.2.4'], rules: ['AUDIT-002'], automation: 'automated' },
    { id: '4.2.4', title: 'Keep containers out of the host network namespace', refs: ['CIS-K8S 5.2.5'], rules: ['AUDIT-003'], automation: 'automated' },
    { id: '4.2.5', title: 'Keep out containers that allow privilege escalation', refs: ['CIS-K8S 5.2.6'], automation: 'automated' },
    { id: '4.3.1', title: 'Run a CNI plugin that enforces network policies', automation: 'manual' },
    { id: '4.3.2', title: 'Define NetworkPolicies in every namespace', refs: ['CIS-K8S 5.3.2'], automation: 'partial' },
    { id: '4.4.1', title: 'Use Secrets as mounted files rather than environment variables', refs: ['CIS-K8S 5.4.1'], automation: 'automated' },
    { id: '4.4.2', title: 'Keep secrets in an external secret store', refs: ['CIS-K8S 5.4.2'], automation: 'partial' },
    { id: '4.5.1', title: 'Use namespaces as administrative boundaries between resources', refs: ['CIS-K8S 5.7.1'], automation: 'partial' },
    { id: '4.5.2', title: 'Do not use the default namespace', refs: ['CIS-K8S 5.7.4'], automation: 'automated' },
    { id: '5.1.1', title: 'Scan images for vulnerabilities (ECR scanning or a third-party scanner)', rules: ['ECR-002', 'IMG-08*'], automation: 'partial' },
    { id: '5.1.2', title: 'Keep user access to ECR to a minimum', rules: ['ECR-003'], automation: 'partial' },
    { id: '5.1.3', title: 'Give clusters read-only access to ECR', automation: 'manual' },
    { id: '5.1.4', title: 'Pull images only from approved registries', refs: ['CIS-K8S 5.5.1'], rules: ['AUDIT-007'], automation: 'partial' },
    { id: '5.2.1', title: 'Give workloads dedicated IAM roles through service accounts', automation: 'manual' },
    { id: '5.3.1', title: 'Envelope-encrypt Kubernetes Secrets with a KMS key', rules: ['EKS-003'], automation: 'automated' },
    { id: '5.4.1', title: 'Restrict the networks that reach the control-plane endpoint', rules: ['EKS-002'], automation: 'automated' },
    { id: '5.4.2', title: 'Enable the private endpoint and turn off public access', rules: ['EKS-001'], automation: 'automated' },
    { id: '5.4.3', title: 'Run worker nodes on private subnets', rules: ['EKS-005'], automation: 'partial' },
    { id: '5.4.4', title: 'Enforce network policies', refs: ['CIS-K8S 5.3.2'], automation: 'partial' },
    { id: '5.4.5', title: 'Terminate TLS on load balancers and ingresses', rules: ['K8S-064', 'AUDIT-040'], automation: 'partial' },
    { id: '5.5.1', title: 'Manage Kubernetes RBAC users through AWS IAM (access entries or aws-auth)', rules: ['AUDIT-035'], automation: 'partial' },
  ],
};
