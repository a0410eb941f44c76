import { cloudRule, describeSetting, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

const ANYWHERE = '0.0.0.0/0';

export default cloudRule({
  id: 'EKS-002',
  severity: 'critical',
  title: 'Public endpoint open to the internet',
  subject: 'eks-cluster',
  description:
    'The public API endpoint is on and its allowed CIDR list (`public_access_cidrs` / `PublicAccessCidrs`) is unset, empty or contains 0.0.0.0/0, so any address on the internet can reach the Kubernetes API.',
  remediation:
    'Turn the public endpoint off (see EKS-001) or list only your egress ranges in `public_access_cidrs` (CloudFormation `PublicAccessCidrs`; live: `aws eks update-cluster-config --resources-vpc-config publicAccessCidrs=203.0.113.0/24`).',
  compliance: ['CIS-EKS 5.4.1', 'PCI-DSS 1.3.1'],
  *check(cluster) {
    if (cluster.endpointPublicAccess.value !== true) return;
    const cidrs = cluster.publicAccessCidrs;
    if (isUnknown(cidrs.value)) return;
    if (cidrs.value === null || cidrs.value.length === 0) {
      yield hitAt(cidrs, `the public API endpoint accepts any address: ${cidrs.field} is ${cidrs.value === null ? 'not set' : 'empty'}, so EKS allows ${ANYWHERE}`);
    } else if (cidrs.value.includes(ANYWHERE)) {
      yield hitAt(cidrs, `the public API endpoint accepts any address: ${describeSetting(cidrs, `a list containing ${ANYWHERE}`)}`);
    }
  },
});
