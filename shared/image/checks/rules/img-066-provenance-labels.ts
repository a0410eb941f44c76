import { imageCheck } from '../check.ts';

const REQUIRED = ['org.opencontainers.image.source', 'org.opencontainers.image.revision'];

export default imageCheck({
  id: 'IMG-066',
  severity: 'info',
  title: 'Missing OCI provenance labels',
  description: 'The image config lacks `org.opencontainers.image.source` or `org.opencontainers.image.revision`: nobody can trace the image back to the repository and commit it was built from.',
  remediation: 'Label builds with their source and commit, e.g. `--label org.opencontainers.image.source=<repo URL> --label org.opencontainers.image.revision=<sha>` (docker/metadata-action does it).',
  compliance: ['NIST-800-190 4.1.5'],
  *check(image) {
    const labels = image.config.config?.Labels ?? {};
    const missing = REQUIRED.filter((key) => !labels[key]?.trim());
    if (missing.length > 0) yield { message: `the image has no ${missing.join(' or ')} label`, field: 'labels:provenance' };
  },
});
