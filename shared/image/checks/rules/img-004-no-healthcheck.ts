import { imageCheck } from '../check.ts';

export default imageCheck({
  id: 'IMG-004',
  severity: 'info',
  title: 'No HEALTHCHECK',
  description:
    '`config.Healthcheck` is absent or disabled (`Test: ["NONE"]`). Informational on Kubernetes, which ignores Docker HEALTHCHECK: define liveness and readiness probes in the pod instead.',
  remediation: 'Add a HEALTHCHECK for plain Docker runs, and liveness/readiness probes in the Kubernetes manifests.',
  compliance: ['CIS-DOCKER 4.6', 'NIST-800-190 4.4.3'],
  *check(image) {
    const test = image.config.config?.Healthcheck?.Test;
    if (!test || test.length === 0) yield { message: 'the image defines no HEALTHCHECK', field: 'config.Healthcheck' };
    else if (test[0] === 'NONE') yield { message: 'the image disables its HEALTHCHECK (NONE)', field: 'config.Healthcheck' };
  },
});
