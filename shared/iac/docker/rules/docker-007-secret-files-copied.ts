import { copyOperands, instructionField, instructionsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

const SECRET_FILE_NAMES = new Set(['.env', '.npmrc', '.pypirc', '.git-credentials']);
const SECRET_DIRECTORIES = new Set(['.ssh', '.aws']);
const SECRET_EXTENSION = /\.(?:pem|key|p12|pfx)$/i;
const SSH_KEY = /^id_(?:rsa|ed25519)/;

/** Why a COPY/ADD source looks like a secret file, or null. */
function secretFile(source: string): string | null {
  const segments = source.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  const name = segments[segments.length - 1] ?? '';
  const directory = segments.find((s) => SECRET_DIRECTORIES.has(s));
  if (directory) return `${directory}/`;
  if (segments.slice(-2).join('/') === '.docker/config.json') return '.docker/config.json';
  if (SECRET_FILE_NAMES.has(name)) return name;
  if (SSH_KEY.test(name)) return name.startsWith('id_rsa') ? 'id_rsa*' : 'id_ed25519*';
  if (SECRET_EXTENSION.test(name)) return `*${name.slice(name.lastIndexOf('.')).toLowerCase()}`;
  return null;
}

export default dockerRule({
  id: 'DOCKER-007',
  severity: 'high',
  title: 'Secret files copied into the image',
  description:
    'A COPY or ADD source is a secret file: .env, *.pem, *.key, id_rsa*, id_ed25519*, .ssh/, .aws/, .npmrc, .pypirc, .git-credentials, .docker/config.json, *.p12 or *.pfx. Every layer keeps it, even if a later step deletes it.',
  remediation:
    'Do not copy credentials into images: use `RUN --mount=type=secret` (or `--mount=type=ssh`) for build-time access, mount them at run time, and list them in .dockerignore.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2'],
  *check({ dockerfile }) {
    for (const copy of [...instructionsOf(dockerfile, 'COPY'), ...instructionsOf(dockerfile, 'ADD')]) {
      const hits = copyOperands(copy)
        .sources.filter((s) => s.value !== null && secretFile(s.value) !== null)
        .map((s) => `${s.value} (${secretFile(s.value!)})`);
      if (hits.length === 0) continue;
      yield { line: copy.line, message: `${copy.keyword} copies secret files into the image: ${hits.join(', ')}`, field: instructionField(dockerfile, copy) };
    }
  },
});
