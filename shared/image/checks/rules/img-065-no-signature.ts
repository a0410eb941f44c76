import { imageCheck } from '../check.ts';

export default imageCheck({
  id: 'IMG-065',
  severity: 'info',
  title: 'No signature or attestation',
  description: 'No signature, attestation or SBOM is attached to the image digest (cosign `sha256-….sig`/`.att`/`.sbom` tags, OCI referrers, Notation, ECR managed signing): deployments cannot verify where the image came from. Not reported when the source cannot tell.',
  remediation: 'Sign images in the pipeline (cosign, Notation or ECR managed signing) and verify signatures at admission.',
  compliance: ['CIS-DOCKER 4.5', 'NIST-800-190 4.1.5', 'MITRE T1195.002'],
  *check(image) {
    if (image.event.referrers !== null && image.event.referrers.length === 0) {
      yield { message: `no signature, attestation or SBOM is attached to ${image.ref.digest ?? 'the image'}`, field: 'signature' };
    }
  },
});
