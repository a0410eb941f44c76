import { maskSecret } from '../../../secrets/mask.ts';
import { imageCheck } from '../check.ts';
import { isSecretAssignment, splitAssignment } from '../env.ts';

export default imageCheck({
  id: 'IMG-040',
  severity: 'high',
  title: 'Secret-named ENV with a value',
  description:
    'An `Env` entry of the image config has a secret-looking name (PASSWORD, SECRET, TOKEN, API_KEY, ACCESS_KEY, PRIVATE_KEY, CREDENTIAL, ...) and a real value (not empty, not `changeme`, `xxx` or `${…}`, not a `*_FILE` path): anyone who can pull the image can read it.',
  remediation: 'Remove the value from the image; inject it at run time from a Kubernetes Secret (env `valueFrom.secretKeyRef`, or a mounted file with a `*_FILE` variable).',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check(image) {
    for (const entry of image.config.config?.Env ?? []) {
      const kv = splitAssignment(entry);
      if (!kv || !isSecretAssignment(kv[0], kv[1])) continue;
      yield { message: `ENV ${kv[0]} holds a value in the image config`, evidence: `${kv[0]}=${maskSecret(kv[1])}`, field: `env:${kv[0]}` };
    }
  },
});
