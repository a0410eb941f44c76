import type { ComplianceFramework } from '../framework.ts';

/**
 * HIPAA Security Rule, technical safeguards (45 CFR 164.312 (a)-(e) with their implementation
 * specifications). No rule cites HIPAA: each safeguard takes the rules of the PCI DSS requirements
 * that ask for the same technical measure (`refs`) and the detections listed. Emergency access,
 * automatic logoff and the authentication of ePHI itself live in the applications and procedures,
 * so they stay manual. Titles are paraphrased.
 */
export const hipaaSecurityRule: ComplianceFramework = {
  id: 'hipaa',
  name: 'HIPAA Security Rule technical safeguards (45 CFR 164.312)',
  version: '2013',
  mappingVersion: '2026.11',
  refPrefix: 'HIPAA ',
  controls: [
    {
      id: '164.312(a)(1)',
      title: 'Access control: let only authorised people and programs reach systems holding ePHI',
      refs: ['PCI-DSS 7.2.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'PCI-DSS 1.3.1'],
      rules: ['AUDIT-014', 'AUDIT-015', 'AUDIT-016', 'AUDIT-017', 'AUDIT-018', 'AUDIT-024', 'ECR-003'],
      automation: 'partial',
    },
    {
      id: '164.312(a)(2)(i)',
      title: 'Unique user identification: give every user and workload its own identity',
      refs: ['CIS-K8S 5.1.5', 'CIS-K8S 5.1.7'],
      rules: ['AUDIT-015', 'AUDIT-016', 'AUDIT-020', 'AUDIT-024'],
      automation: 'partial',
    },
    { id: '164.312(a)(2)(ii)', title: 'Emergency access procedure: reach ePHI during an emergency', automation: 'manual' },
    { id: '164.312(a)(2)(iii)', title: 'Automatic logoff: end idle sessions', automation: 'manual' },
    { id: '164.312(a)(2)(iv)', title: 'Encryption and decryption: encrypt ePHI at rest', refs: ['PCI-DSS 3.5.1'], rules: ['EKS-003', 'ECR-004'], automation: 'partial' },
    { id: '164.312(b)', title: 'Audit controls: record and examine activity in systems holding ePHI', refs: ['PCI-DSS 10.2.1'], rules: ['EKS-004', 'EKS-007', 'AUDIT-0*'], automation: 'partial' },
    {
      id: '164.312(c)(1)',
      title: 'Integrity: protect ePHI and the systems processing it from improper alteration',
      refs: ['NSA-CISA Pod security: immutable container file systems', 'NIST-800-190 4.1.3'],
      rules: ['ECR-001', 'IMG-021', 'IMG-022', 'IMG-030', 'IMG-065', 'AUDIT-041', 'AUDIT-042'],
      automation: 'partial',
    },
    { id: '164.312(c)(2)', title: 'Mechanism to authenticate ePHI: show that ePHI was not altered or destroyed', automation: 'manual' },
    {
      id: '164.312(d)',
      title: 'Person or entity authentication: verify who seeks access, and keep credentials secret',
      refs: ['PCI-DSS 8.6.2', 'PCI-DSS 8.6.3'],
      rules: ['SECRET-*', 'IMG-040', 'IMG-041', 'IMG-042', 'IMG-043', 'IMG-044', 'IMG-045', 'AUDIT-024', 'AUDIT-026', 'AUDIT-027', 'AUDIT-035'],
      automation: 'partial',
    },
    { id: '164.312(e)(1)', title: 'Transmission security: guard ePHI sent over networks', refs: ['PCI-DSS 4.2.1', 'PCI-DSS 1.3.1'], rules: ['AUDIT-039', 'AUDIT-040'], automation: 'partial' },
    { id: '164.312(e)(2)(i)', title: 'Integrity controls: detect changes to ePHI in transit', refs: ['NIST-800-190 4.2.1'], rules: ['DOCKER-008'], automation: 'partial' },
    { id: '164.312(e)(2)(ii)', title: 'Encryption: encrypt ePHI in transit', refs: ['PCI-DSS 4.2.1'], rules: ['AUDIT-040'], automation: 'partial' },
  ],
};
