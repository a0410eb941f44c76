import type { ComplianceFramework } from '../framework.ts';

/**
 * PCI DSS v4.0: the requirements our rules evidence. Most are organisational; manifests, images,
 * audit logs and cluster settings only evidence the technical part, hence "partial". Manifest,
 * Dockerfile and EKS/ECR rules cite the requirements; image checks and audit detections are listed
 * here. Titles are paraphrased.
 */
export const pciDss: ComplianceFramework = {
  id: 'pci-dss',
  name: 'PCI DSS',
  version: 'v4.0',
  mappingVersion: '2026.11',
  refPrefix: 'PCI-DSS ',
  controls: [
    { id: '1.3.1', title: 'Allow only necessary inbound traffic into the cardholder data environment', rules: ['EKS-001', 'EKS-002', 'EKS-005', 'AUDIT-039'], automation: 'partial' },
    { id: '1.3.2', title: 'Allow only necessary outbound traffic from the cardholder data environment', automation: 'partial' },
    { id: '1.4.1', title: 'Control traffic between trusted and untrusted networks', automation: 'partial' },
    { id: '2.2.1', title: 'Keep configuration standards for all system components', automation: 'partial' },
    { id: '2.2.2', title: 'Manage vendor default accounts', rules: ['IMG-009'], automation: 'partial' },
    { id: '2.2.3', title: 'Separate primary functions that need different security levels', automation: 'partial' },
    { id: '2.2.4', title: 'Enable only the services, protocols and functions that are needed', rules: ['IMG-005', 'IMG-063', 'IMG-064'], automation: 'partial' },
    { id: '2.2.6', title: 'Configure system security parameters to prevent misuse', rules: ['IMG-00*', 'IMG-010', 'IMG-011'], automation: 'partial' },
    { id: '3.5.1', title: 'Make stored account data unreadable', rules: ['EKS-003', 'ECR-004'], automation: 'partial' },
    { id: '3.6.1', title: 'Protect cryptographic keys from disclosure and misuse', automation: 'partial' },
    { id: '4.2.1', title: 'Protect data sent over open networks with strong cryptography', rules: ['AUDIT-040'], automation: 'partial' },
    { id: '6.3.1', title: 'Identify and manage security vulnerabilities', rules: ['ECR-002', 'IMG-08*', 'IMG-061'], automation: 'partial' },
    { id: '6.3.2', title: 'Keep an inventory of custom and third-party software components', rules: ['ECR-001', 'IMG-066'], automation: 'partial' },
    { id: '6.3.3', title: 'Protect components from known vulnerabilities by patching', rules: ['EKS-006', 'IMG-080', 'IMG-081', 'IMG-083', 'IMG-061'], automation: 'partial' },
    { id: '7.2.1', title: 'Define an access control model', rules: ['ECR-003'], automation: 'partial' },
    { id: '7.2.2', title: 'Grant access by job function with least privilege', rules: ['AUDIT-014', 'AUDIT-015', 'AUDIT-016', 'AUDIT-017', 'AUDIT-018'], automation: 'partial' },
    { id: '7.2.5', title: 'Give system and application accounts only the privileges they need', rules: ['AUDIT-008', 'AUDIT-016'], automation: 'partial' },
    { id: '8.2.2', title: 'Do not share accounts; use shared identities only by exception', rules: ['AUDIT-020', 'AUDIT-024'], automation: 'partial' },
    { id: '8.3.1', title: 'Authenticate every user and account with at least one factor (no empty passwords)', rules: ['IMG-009'], automation: 'partial' },
    {
      id: '8.6.2',
      title: 'Keep passwords of system and application accounts out of code, configuration and images',
      rules: ['IMG-040', 'IMG-041', 'IMG-042', 'IMG-043', 'IMG-044', 'IMG-045'],
      automation: 'automated',
    },
    { id: '8.6.3', title: 'Protect passwords of system and application accounts against misuse', automation: 'partial' },
    { id: '10.2.1', title: 'Enable audit logs on all system components', rules: ['EKS-004', 'EKS-007'], automation: 'partial' },
    { id: '10.2.1.2', title: 'Log every action taken by an administrative identity', rules: ['AUDIT-009', 'AUDIT-010', 'AUDIT-011', 'AUDIT-012', 'AUDIT-013'], automation: 'partial' },
    { id: '10.2.1.4', title: 'Log invalid logical access attempts', rules: ['AUDIT-025', 'AUDIT-032'], automation: 'partial' },
    { id: '10.2.1.5', title: 'Log changes to identification and authentication credentials', rules: ['AUDIT-021', 'AUDIT-022', 'AUDIT-035'], automation: 'partial' },
    { id: '10.2.1.7', title: 'Log the creation and deletion of system-level objects', rules: ['AUDIT-019', 'AUDIT-023', 'AUDIT-034', 'AUDIT-037', 'AUDIT-038'], automation: 'partial' },
    { id: '10.4.1', title: 'Review security events and the logs of critical components at least daily', rules: ['AUDIT-0*'], automation: 'partial' },
    { id: '10.7.2', title: 'Detect, alert on and address failures of critical security controls', rules: ['AUDIT-041', 'AUDIT-042'], automation: 'partial' },
    { id: '11.3.1', title: 'Run internal vulnerability scans and resolve what they find', rules: ['IMG-08*'], automation: 'partial' },
    { id: '11.5.1', title: 'Detect and alert on intrusions into the cardholder data environment', rules: ['AUDIT-0*'], automation: 'partial' },
    { id: '12.3.4', title: 'Review that hardware and software technologies are still supported', rules: ['IMG-061'], automation: 'partial' },
  ],
};
