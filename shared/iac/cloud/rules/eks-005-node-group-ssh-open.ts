import { cloudRule, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

export default cloudRule({
  id: 'EKS-005',
  severity: 'high',
  title: 'Node group SSH open',
  subject: 'eks-nodegroup',
  description:
    'The managed node group configures remote access with an EC2 SSH key (`remote_access.ec2_ssh_key`, CloudFormation `RemoteAccess.Ec2SshKey`) and no source security groups, so EKS opens port 22 on the nodes to 0.0.0.0/0.',
  remediation:
    'Remove remote access and use SSM Session Manager, or restrict it with `source_security_group_ids` (CloudFormation `SourceSecurityGroups`) naming only your bastion or admin security group.',
  compliance: ['PCI-DSS 1.3.1'],
  *check(nodegroup) {
    const remote = nodegroup.remoteAccess.value;
    if (remote === null || isUnknown(remote)) return;
    if (remote.sshKey.value === null || isUnknown(remote.sshKey.value)) return;
    const groups = remote.sourceSecurityGroups;
    if (isUnknown(groups.value) || (groups.value !== null && groups.value.length > 0)) return;
    yield hitAt(groups, `SSH to the nodes is open to any address: remote access uses key "${remote.sshKey.value}" and ${groups.field} is ${groups.value === null ? 'not set' : 'empty'}`);
  },
});
