import { parseImageRef } from '../../image-ref.ts';
import { externalBases, stageLabel } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

export default dockerRule({
  id: 'DOCKER-003',
  severity: 'low',
  title: 'Base image not pinned by digest',
  description:
    'An external FROM image has no valid digest (`@sha256:` + 64 hex, `@sha512:` + 128 hex, `@blake3:` + 64 hex, or another algorithm of the OCI digest grammar), so a re-pushed tag changes the build.',
  remediation: 'Pin the base image by digest: `FROM image:1.2.3@sha256:<digest>` (tools such as Renovate keep digests current).',
  compliance: ['CIS-DOCKER 4.2', 'NIST-800-190 4.1.5', 'PCI-DSS 6.3.2', 'MITRE T1195.002'],
  *check({ dockerfile }) {
    for (const stage of externalBases(dockerfile)) {
      const ref = parseImageRef(stage.base);
      if (ref.digestValid) continue;
      yield {
        line: stage.from.line,
        message: ref.digest === null ? `FROM ${stage.base} is not pinned by digest` : `FROM ${stage.base} has an invalid digest "${ref.digest}"`,
        field: `${stageLabel(dockerfile, stage.index)} FROM`,
      };
    }
  },
});
