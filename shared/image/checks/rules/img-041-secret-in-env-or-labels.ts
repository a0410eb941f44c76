import { scanSecrets } from '../../../secrets/scan.ts';
import { imageCheck } from '../check.ts';
import { splitAssignment } from '../env.ts';

export default imageCheck({
  id: 'IMG-041',
  severity: 'critical',
  title: 'Secret value in ENV or labels',
  description: 'A SECRET-xx pattern (cloud keys, tokens, private keys, ...) matches the value of an `Env` entry or a label of the image config.',
  remediation: 'Rotate the credential now (it is public to everyone who can pull the image), then remove it from the image and inject it at run time.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check(image) {
    const candidates: { where: string; text: string }[] = [];
    for (const entry of image.config.config?.Env ?? []) {
      const kv = splitAssignment(entry);
      if (kv) candidates.push({ where: `ENV ${kv[0]}`, text: entry });
    }
    for (const [key, value] of Object.entries(image.config.config?.Labels ?? {})) candidates.push({ where: `label ${key}`, text: `${key}=${value}` });
    for (const { where, text } of candidates) {
      for (const hit of scanSecrets('image-config', text)) {
        yield { message: `${where}: ${hit.message} (${hit.rule.id})`, evidence: hit.masked, field: `${where}:${hit.rule.id}` };
      }
    }
  },
});
