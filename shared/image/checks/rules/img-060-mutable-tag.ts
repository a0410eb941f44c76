import { imageCheck } from '../check.ts';

export default imageCheck({
  id: 'IMG-060',
  severity: 'low',
  title: 'latest tag',
  description:
    'The image was pushed (or asked for) as `latest`, or with no tag at all, which means `latest`: a mutable tag that points at whatever was pushed last. Digest-only references are fine.',
  remediation: 'Tag every build immutably (version or commit SHA) and deploy by digest; enable tag immutability in the registry.',
  compliance: ['CIS-DOCKER 4.2', 'NIST-800-190 4.2.2'],
  *check(image) {
    if (image.event.tag === 'latest') yield { message: 'the image is tagged latest, a mutable tag', field: 'tag:latest' };
  },
});
