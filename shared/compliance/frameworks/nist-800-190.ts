import type { ComplianceFramework } from '../framework.ts';

/**
 * NIST SP 800-190 Application Container Security Guide: the countermeasure sections of chapter 4.
 * Manifest and Dockerfile rules cite the sections; image checks, audit detections and EKS/ECR rules
 * are listed per section. Titles are paraphrased.
 */
export const nistSp800190: ComplianceFramework = {
  id: 'nist-800-190',
  name: 'NIST SP 800-190 Application Container Security Guide',
  version: '2017',
  mappingVersion: '2026.11',
  refPrefix: 'NIST-800-190 ',
  controls: [
    { id: '4.1.1', title: 'Image vulnerabilities: find and fix known vulnerabilities in images', rules: ['IMG-08*', 'IMG-061', 'ECR-002'], automation: 'partial' },
    {
      id: '4.1.2',
      title: 'Image configuration defects: build images to hardened configuration',
      rules: ['IMG-00*', 'IMG-010', 'IMG-011', 'IMG-020', 'IMG-023', 'IMG-029', 'IMG-046', 'IMG-063', 'IMG-064'],
      automation: 'partial',
    },
    { id: '4.1.3', title: 'Embedded malware: keep unverified code out of images', rules: ['IMG-021', 'IMG-022', 'IMG-030'], automation: 'partial' },
    {
      id: '4.1.4',
      title: 'Embedded clear-text secrets: keep secrets out of images and manifests',
      rules: ['IMG-040', 'IMG-041', 'IMG-042', 'IMG-043', 'IMG-044', 'IMG-045'],
      automation: 'automated',
    },
    { id: '4.1.5', title: 'Use of untrusted images: run only images from trusted, pinned sources', rules: ['IMG-060', 'IMG-065', 'IMG-066', 'AUDIT-007'], automation: 'partial' },
    { id: '4.2.1', title: 'Insecure connections to registries: verify and encrypt registry traffic', automation: 'partial' },
    { id: '4.2.2', title: 'Stale images in registries: make sure the intended, current image runs', rules: ['IMG-062', 'ECR-001'], automation: 'partial' },
    { id: '4.2.3', title: 'Registry authentication and authorization: restrict who can read and write images', rules: ['ECR-003'], automation: 'partial' },
    {
      id: '4.3.1',
      title: 'Unbounded administrative access: give orchestrator users least privilege',
      rules: ['AUDIT-014', 'AUDIT-015', 'AUDIT-016', 'AUDIT-017', 'AUDIT-018', 'AUDIT-019', 'AUDIT-020', 'AUDIT-022'],
      automation: 'partial',
    },
    {
      id: '4.3.2',
      title: 'Unauthorized access: protect orchestrator accounts and credentials',
      rules: ['AUDIT-021', 'AUDIT-024', 'AUDIT-025', 'AUDIT-026', 'AUDIT-027', 'AUDIT-028', 'AUDIT-035', 'EKS-001', 'EKS-002'],
      automation: 'partial',
    },
    { id: '4.3.3', title: 'Poorly separated inter-container traffic: segment container networks', automation: 'partial' },
    { id: '4.3.4', title: 'Mixing of workload sensitivity levels: keep workloads of different sensitivity apart', automation: 'partial' },
    { id: '4.3.5', title: 'Orchestrator node trust: keep nodes and their access under control', rules: ['EKS-005', 'AUDIT-013'], automation: 'partial' },
    { id: '4.4.1', title: 'Vulnerabilities within the runtime software: keep orchestrator and runtime current', rules: ['EKS-006'], automation: 'partial' },
    { id: '4.4.2', title: 'Unbounded network access from containers: restrict container network exposure', rules: ['AUDIT-039'], automation: 'partial' },
    {
      id: '4.4.3',
      title: 'Insecure container runtime configurations: run containers with hardened settings',
      rules: ['AUDIT-001', 'AUDIT-002', 'AUDIT-003', 'AUDIT-004', 'AUDIT-005', 'AUDIT-006', 'AUDIT-008'],
      automation: 'automated',
    },
    { id: '4.4.4', title: 'App vulnerabilities: watch running containers for abuse', rules: ['AUDIT-009', 'AUDIT-010', 'AUDIT-011', 'AUDIT-012'], automation: 'partial' },
    { id: '4.4.5', title: 'Rogue containers: run only sanctioned workloads', rules: ['AUDIT-007', 'AUDIT-037', 'AUDIT-038', 'AUDIT-042', 'AUDIT-043'], automation: 'partial' },
    { id: '4.5.2', title: 'Shared kernel: limit what containers can do to the host kernel', rules: ['AUDIT-001', 'AUDIT-002', 'AUDIT-006'], automation: 'partial' },
    { id: '4.5.4', title: 'Improper user access rights: run with the least user privileges', rules: ['IMG-001', 'IMG-003'], automation: 'partial' },
    { id: '4.5.5', title: 'Host OS file system tampering: keep containers off the host file system', rules: ['AUDIT-004', 'AUDIT-005'], automation: 'partial' },
  ],
};
