import { imageCheck } from '../check.ts';

export default imageCheck({
  id: 'IMG-067',
  severity: 'info',
  title: 'Non-runnable or unknown manifest skipped',
  description: 'The image index holds a manifest that is not a runnable image (an artifact with `artifactType` or `subject`, an attestation manifest, an unknown media type): it was skipped and recorded, not scanned.',
  remediation: 'Nothing to fix when these are signatures, SBOMs or attestations; otherwise check what was pushed.',
  compliance: [],
  *check(image) {
    for (const skipped of image.event.skipped) {
      yield {
        message: `skipped ${skipped.reason} manifest ${skipped.digest} (${skipped.mediaType || 'no media type'}): ${skipped.detail}`,
        // Not the digest: attestations and signatures are new blobs on every push.
        field: `skipped:${skipped.reason}:${skipped.mediaType}:${skipped.platform ?? ''}`,
      };
    }
  },
});
