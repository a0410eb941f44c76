import { maskSecret } from '../../../secrets/mask.ts';
import { scanSecrets } from '../../../secrets/scan.ts';
import { imageCheck } from '../check.ts';
import { isSecretAssignment } from '../env.ts';
import { historySteps } from '../history.ts';

/** `KEY=value`, `KEY="value"` or `--key=value` anywhere in a created_by text. */
const ASSIGNMENT = /(?:^|[\s;&|(])-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&|)]+)/g;

export default imageCheck({
  id: 'IMG-042',
  severity: 'critical',
  title: 'Secret in build args or history',
  description:
    'A `created_by` history entry holds a secret: a SECRET-xx pattern, or a secret-named `KEY=value` (as IMG-040), including the `|N KEY=value` build-arg prefix the builder records for RUN. Build args and ENV values stay readable in the image history forever.',
  remediation: 'Rotate the credential, then pass it to the build as a BuildKit secret (`RUN --mount=type=secret,id=…`) instead of a build arg, ENV or inline value.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check(image) {
    for (const step of historySteps(image.config)) {
      if (step.createdBy === '') continue;
      const reported = new Set<string>();
      for (const hit of scanSecrets('image-history', step.createdBy)) {
        reported.add(hit.masked);
        yield { message: `history #${step.index}: ${hit.message} (${hit.rule.id}) in the recorded build command`, evidence: hit.masked, historyIndex: step.index, field: `history:${hit.rule.id}:${hit.masked}` };
      }
      const assignments = new Map<string, string>(step.buildArgs);
      for (const m of step.createdBy.matchAll(ASSIGNMENT)) if (!assignments.has(m[1])) assignments.set(m[1], m[2]);
      for (const [key, value] of assignments) {
        const masked = maskSecret(value.replace(/^(["'])(.*)\1$/, '$2'));
        if (!isSecretAssignment(key, value) || reported.has(masked)) continue;
        const kind = step.buildArgs.some(([k]) => k === key) ? 'build arg' : 'assignment';
        yield { message: `history #${step.index}: ${kind} ${key} holds a value in the recorded build command`, evidence: `${key}=${masked}`, historyIndex: step.index, field: `history:${key}` };
      }
    }
  },
});
