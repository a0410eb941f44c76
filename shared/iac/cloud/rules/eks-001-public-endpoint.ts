import { cloudRule, describeSetting, hitAt } from '../rule.ts';

export default cloudRule({
  id: 'EKS-001',
  severity: 'high',
  title: 'Public API endpoint',
  subject: 'eks-cluster',
  description:
    'The cluster’s Kubernetes API endpoint is reachable from the internet: Terraform `vpc_config.endpoint_public_access` is true or omitted (the provider default is true), CloudFormation `ResourcesVpcConfig.EndpointPublicAccess` is true or omitted, or the live cluster has public access on.',
  remediation:
    'Turn the public endpoint off and the private one on (Terraform `endpoint_public_access = false`, `endpoint_private_access = true`; CloudFormation `EndpointPublicAccess: false`; live: `aws eks update-cluster-config --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true`) and reach the API over the VPC (VPN, bastion, Direct Connect).',
  compliance: ['CIS-EKS 5.4.2', 'PCI-DSS 1.3.1'],
  *check(cluster) {
    const setting = cluster.endpointPublicAccess;
    if (setting.value !== true) return;
    yield hitAt(setting, `the Kubernetes API endpoint is public: ${describeSetting(setting, 'true')}`);
  },
});
