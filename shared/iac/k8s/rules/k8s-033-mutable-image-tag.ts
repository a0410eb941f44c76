import { parseImageRef } from '../../image-ref.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-033',
  severity: 'medium',
  title: 'Mutable image: latest or no tag',
  description: 'A container image has no digest and either no tag or the tag "latest", so what runs changes whenever the tag moves.',
  remediation: 'Pin the image to a specific version tag, or better to a digest (image@sha256:...).',
  compliance: ['NSA-CISA Building secure container images', 'NIST-800-190 4.1.5', 'NIST-800-190 4.2.2', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.2', 'PCI-DSS 6.3.3', 'MITRE T1204.003', 'MITRE T1525'],
  check(c) {
    if (!c.image?.trim()) return;
    const ref = parseImageRef(c.image);
    if (ref.digestValid) return; // a digest pins the image whatever the tag says
    if (ref.tag !== null && ref.tag !== 'latest') return;
    const what = ref.tag === 'latest' ? 'the tag "latest"' : 'no tag';
    return { path: [...c.path, 'image'], message: `${describeContainer(c)} uses image "${c.image}" with ${what} and no digest` };
  },
});
