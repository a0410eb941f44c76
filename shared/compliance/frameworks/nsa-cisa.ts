import type { ComplianceFramework } from '../framework.ts';

/**
 * NSA/CISA Kubernetes Hardening Guidance, by section name (as rules cite it). Manifest rules cite
 * the sections; image checks, audit detections and EKS/ECR rules are listed per section. Titles
 * are paraphrased.
 */
export const nsaCisa: ComplianceFramework = {
  id: 'nsa-cisa',
  name: 'NSA/CISA Kubernetes Hardening Guidance',
  version: 'v1.2',
  mappingVersion: '2026.11',
  refPrefix: 'NSA-CISA ',
  controls: [
    { id: 'Pod security: non-root containers', title: 'Run containers as users other than root', rules: ['IMG-001', 'IMG-002', 'IMG-003'], automation: 'automated' },
    { id: 'Pod security: immutable container file systems', title: 'Keep container file systems read-only', automation: 'automated' },
    {
      id: 'Building secure container images',
      title: 'Run images from trusted sources, pinned, scanned and kept current',
      rules: ['IMG-0*', 'ECR-001', 'ECR-002'],
      automation: 'partial',
    },
    { id: 'Pod security enforcement', title: 'Enforce pod security rules at admission', rules: ['AUDIT-034'], automation: 'partial' },
    { id: 'Pod security: protecting Pod service account tokens', title: 'Mount service account tokens only into pods that need them', rules: ['AUDIT-008'], automation: 'automated' },
    {
      id: 'Pod security: hardening container environments',
      title: 'Confine containers with capabilities, seccomp, AppArmor and SELinux',
      rules: ['AUDIT-001', 'AUDIT-002', 'AUDIT-004', 'AUDIT-006'],
      automation: 'partial',
    },
    {
      id: 'Network separation and hardening',
      title: 'Limit how workloads and the cluster are exposed on the network',
      // The catalog cites the section by its short name for the host-network rule.
      aliases: ['Network separation'],
      rules: ['EKS-001', 'EKS-002', 'EKS-005', 'AUDIT-003', 'AUDIT-039'],
      automation: 'partial',
    },
    { id: 'Network separation: namespaces', title: 'Separate workloads and teams with namespaces', automation: 'partial' },
    { id: 'Network separation: network policies', title: 'Restrict pod traffic with network policies', automation: 'partial' },
    { id: 'Network separation: resource policies', title: 'Bound CPU and memory use with requests and limits', automation: 'automated' },
    { id: 'Network separation: encryption', title: 'Encrypt traffic in transit', rules: ['K8S-064', 'DOCKER-008', 'AUDIT-040'], automation: 'partial' },
    {
      id: 'Network separation: secrets',
      title: 'Keep sensitive data in encrypted Secrets, out of manifests, images and environment variables',
      rules: ['EKS-003', 'SECRET-*', 'IMG-040', 'IMG-041', 'IMG-042', 'IMG-043', 'IMG-044', 'IMG-045', 'AUDIT-033'],
      automation: 'partial',
    },
    { id: 'Protecting sensitive cloud infrastructure', title: 'Keep workloads away from cloud control-plane access', rules: ['EKS-001', 'EKS-002', 'ECR-003'], automation: 'partial' },
    {
      id: 'Authentication and authorization',
      title: 'Grant least privilege through RBAC and avoid shared and anonymous identities',
      rules: ['AUDIT-014', 'AUDIT-015', 'AUDIT-016', 'AUDIT-017', 'AUDIT-018', 'AUDIT-019', 'AUDIT-020', 'AUDIT-021', 'AUDIT-022', 'AUDIT-024', 'AUDIT-035'],
      automation: 'partial',
    },
    { id: 'Audit logging and threat detection: logging', title: 'Record control-plane audit logs and collect them centrally', rules: ['EKS-004', 'EKS-007'], automation: 'partial' },
    {
      id: 'Audit logging and threat detection: threat detection',
      title: 'Watch the audit logs for attacks and act on what they show',
      rules: ['AUDIT-0*'],
      automation: 'partial',
    },
    { id: 'Upgrading and application security practices', title: 'Keep Kubernetes, images and the APIs in use current', rules: ['EKS-006', 'IMG-061', 'IMG-08*'], automation: 'partial' },
  ],
};
