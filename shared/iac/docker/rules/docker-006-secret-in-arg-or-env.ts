import { isCredentialLiteral, isSensitiveName, matchesSensitiveValue } from '../../sensitive.ts';
import { stageLabel } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

const REFERENCE = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

export default dockerRule({
  id: 'DOCKER-006',
  severity: 'high',
  title: 'Secret in ARG or ENV',
  description:
    'An ARG or ENV with a sensitive name (password, token, secret, …key, …) has a literal credential as default or value, or any ARG/ENV value looks like a credential (private key, AWS key id, GitHub/Slack token, JWT, URL with a password). ARG values persist in the image history, ENV values in the image configuration.',
  remediation:
    'Pass secrets at build time with `RUN --mount=type=secret,id=…` and at run time through the orchestrator (Kubernetes Secret, secret manager); never as ARG defaults or ENV values. Rotate the exposed credential.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check({ dockerfile }) {
    const seen = new Map<string, number>();
    for (const instruction of dockerfile.instructions) {
      if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
      for (const { name, value } of instruction.declarations) {
        if (value === null) continue;
        // Values made only of references (`${DB_PASSWORD}`) carry no literal; references inside a URL are no password either.
        const literal = value.replace(REFERENCE, '');
        const byName = isSensitiveName(name) && literal.trim() !== '' && isCredentialLiteral(value);
        const byValue = matchesSensitiveValue(literal);
        if (!byName && !byValue) continue;
        const key = `${stageLabel(dockerfile, instruction.stage)} ${instruction.keyword} ${name}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        const where = instruction.keyword === 'ARG' ? 'persists in the image history' : 'is stored in the image configuration';
        yield {
          line: instruction.line,
          message: byValue
            ? `${instruction.keyword} ${name} has a value that looks like a credential; it ${where}`
            : `${instruction.keyword} ${name} has a literal ${instruction.keyword === 'ARG' ? 'default' : 'value'}; it ${where}`,
          field: n > 1 ? `${key} #${n}` : key,
        };
      }
    }
  },
});
