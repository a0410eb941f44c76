import { parseImageRef } from '../../image-ref.ts';
import { asString } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-035',
  severity: 'low',
  title: 'Pull policy lets a stale mutable image run',
  description:
    'A container image is not pinned by digest and its effective imagePullPolicy is not Always (explicit value, else Always for a missing or "latest" tag, else IfNotPresent), so a node may keep running an old image behind the tag.',
  remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
  compliance: ['NSA-CISA Building secure container images', 'NIST-800-190 4.1.5', 'NIST-800-190 4.2.2', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.2', 'PCI-DSS 6.3.3', 'MITRE T1204.003', 'MITRE T1525'],
  check(c) {
    if (!c.image?.trim()) return;
    const ref = parseImageRef(c.image);
    if (ref.digestValid) return;
    const explicit = asString(c.container.imagePullPolicy) || undefined; // empty means the default, as in the API server
    const effective = explicit ?? (ref.tag === null || ref.tag === 'latest' ? 'Always' : 'IfNotPresent');
    if (effective === 'Always') return;
    return {
      path: [...c.path, 'imagePullPolicy'],
      message: `${describeContainer(c)} pulls the mutable image "${c.image}" with ${explicit ? '' : 'the default '}imagePullPolicy ${effective}`,
    };
  },
});
