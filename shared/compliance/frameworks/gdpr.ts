import type { ComplianceFramework } from '../framework.ts';

/**
 * GDPR Article 32, security of processing: paragraph (1) points (a)-(d) and paragraph (2). No rule
 * cites GDPR: each point takes the rules of the controls that ask for the same measure in the other
 * frameworks (`refs`) and the detections listed. Restoring availability after an incident is
 * backups and procedures, so it stays manual. Titles are paraphrased.
 */
export const gdprArt32: ComplianceFramework = {
  id: 'gdpr',
  name: 'GDPR Article 32 (security of processing)',
  version: '2016/679',
  mappingVersion: '2026.11',
  refPrefix: 'GDPR Art. ',
  controls: [
    {
      id: '32(1)(a)',
      title: 'Pseudonymise and encrypt personal data, at rest and in transit',
      refs: ['PCI-DSS 3.5.1', 'PCI-DSS 4.2.1'],
      rules: ['EKS-003', 'ECR-004', 'AUDIT-040'],
      automation: 'partial',
    },
    {
      id: '32(1)(b)',
      title: 'Keep processing systems confidential, intact, available and resilient',
      refs: ['PCI-DSS 2.2.6', 'PCI-DSS 7.2.2', 'NSA-CISA Network separation: resource policies', 'NIST-800-190 4.1.1'],
      rules: ['IMG-08*', 'EKS-001', 'EKS-002', 'ECR-003', 'AUDIT-001', 'AUDIT-002', 'AUDIT-004', 'AUDIT-006', 'AUDIT-014', 'AUDIT-015', 'AUDIT-017'],
      automation: 'partial',
    },
    { id: '32(1)(c)', title: 'Restore availability of and access to personal data promptly after an incident', automation: 'manual' },
    {
      id: '32(1)(d)',
      title: 'Test, assess and evaluate the security measures regularly',
      rules: ['ECR-002', 'EKS-004', 'IMG-062'],
      automation: 'partial',
    },
    {
      id: '32(2)',
      title: 'Guard against unauthorised disclosure of, or access to, personal data',
      refs: ['NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'PCI-DSS 7.2.1'],
      rules: ['SECRET-*', 'ECR-003', 'EKS-002', 'AUDIT-015', 'AUDIT-024', 'AUDIT-029', 'AUDIT-030', 'AUDIT-031', 'AUDIT-032'],
      automation: 'partial',
    },
  ],
};
