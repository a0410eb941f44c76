import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-014',
  severity: 'medium',
  title: 'Writable root filesystem',
  description: 'A container does not set securityContext.readOnlyRootFilesystem: true, so an intruder can change its binaries and configuration at run time.',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application must write.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: immutable container file systems', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.5', 'PCI-DSS 2.2.6', 'MITRE T1525'],
  linuxOnly: true,
  check(c) {
    const readOnly = c.own('readOnlyRootFilesystem');
    if (readOnly?.value === true) return;
    return {
      path: [...c.path, 'securityContext', 'readOnlyRootFilesystem'],
      message: readOnly
        ? `${describeContainer(c)} sets readOnlyRootFilesystem: ${JSON.stringify(readOnly.value)}`
        : `${describeContainer(c)} does not set readOnlyRootFilesystem: true`,
    };
  },
});
