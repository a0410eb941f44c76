import { matchesAllowlist, resolvedName } from '../../image-ref.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-036',
  severity: 'medium',
  title: 'Image from a registry outside the allowlist',
  description:
    'trustedRegistries is configured and a container image does not match any entry (registry hosts or repository prefixes, on a "/" boundary; images without a host resolve to docker.io).',
  remediation: 'Pull the image from a trusted registry (mirror it there), or add its registry to trustedRegistries in .shipwatch.yaml.',
  compliance: ['CIS-K8S 5.5.1', 'CIS-EKS 5.1.4', 'NSA-CISA Building secure container images', 'NIST-800-190 4.1.5', 'NIST-800-190 4.2.2', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.2', 'PCI-DSS 6.3.3', 'MITRE T1204.003', 'MITRE T1525'],
  check(c, _pod, ctx) {
    const allowlist = ctx.settings.trustedRegistries;
    if (allowlist.length === 0 || !c.image?.trim()) return;
    if (matchesAllowlist(c.image, allowlist)) return;
    return {
      path: [...c.path, 'image'],
      message: `${describeContainer(c)} image "${c.image}" (${resolvedName(c.image)}) is not from a trusted registry`,
    };
  },
});
