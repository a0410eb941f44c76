import { imageCheck } from '../check.ts';
import { layerOf } from '../filesystem.ts';
import { sensitiveFiles, wantsSensitiveContent } from '../sensitive-files.ts';

export default imageCheck({
  id: 'IMG-044',
  severity: 'high',
  title: 'Sensitive file in the image',
  description:
    'A layer ships a credential file: SSH private keys (`id_rsa`, `id_ed25519`, ...), `*.pem`/`*.key` private keys, `.aws/credentials`, `.aws/config` with keys, `.docker/config.json` with auths, `.npmrc` with a token, `.pypirc`, `pip.conf` with credentials, `.netrc`, `.git-credentials`, `.env`, kubeconfigs with a token or client key, `terraform.tfstate`, `*.tfvars`, GCP service-account JSON, `credentials.json`, keystores (`*.jks`, `*.p12`, `*.pfx`), `.ovpn`, `settings.xml` with a password. Critical when a SECRET-xx pattern matches inside. A file deleted by a later layer is IMG-045 instead.',
  remediation: 'Rotate what the file holds, keep it out of the build context (.dockerignore), and mount credentials at run time from a Kubernetes Secret.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  wants: wantsSensitiveContent,
  *check(image) {
    for (const file of sensitiveFiles(image)) {
      if (file.deleted) continue;
      const secret = file.secret?.hits[0];
      yield {
        message: `/${file.path}: ${file.what}${secret ? `, holding ${secret.message} (${secret.ruleId})` : ''}`,
        severity: secret ? 'critical' : undefined,
        path: file.path,
        line: secret?.line ?? null,
        evidence: secret?.masked ?? null,
        ...layerOf(image, file.layerIndex),
        field: `file:${file.path}`,
      };
    }
  },
});
