import * as z from 'zod';
import { matchesAllowlist, parseImageRef } from '../../image-ref.ts';
import { containerRule, describeContainer } from '../rule.ts';

const options = z.object({
  /** Registries or repository prefixes whose images need no digest (matched like trustedRegistries). */
  exemptRepositories: z.array(z.string()).default([]),
});

export default containerRule({
  id: 'K8S-034',
  severity: 'low',
  title: 'Image not pinned by digest',
  description: 'A container image has no valid digest (sha256, sha512 or blake3 of the right length, or another algorithm in the OCI digest grammar), so a re-pushed tag changes what runs.',
  remediation: 'Reference the image by digest (image:tag@sha256:<64 hex>) and let a bot such as Renovate update it.',
  compliance: ['CIS-K8S 5.5.1', 'NSA-CISA Building secure container images', 'NIST-800-190 4.1.5', 'NIST-800-190 4.2.2', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.2', 'PCI-DSS 6.3.3', 'MITRE T1204.003', 'MITRE T1525'],
  optionsSchema: options,
  check(c, _pod, ctx) {
    if (!c.image?.trim()) return;
    const ref = parseImageRef(c.image);
    if (ref.digestValid || matchesAllowlist(ref, ctx.options.exemptRepositories)) return;
    const why = ref.digest === null ? 'is not pinned by digest' : `has a malformed digest "${ref.digest}"`;
    return { path: [...c.path, 'image'], message: `${describeContainer(c)} image "${c.image}" ${why}` };
  },
});
