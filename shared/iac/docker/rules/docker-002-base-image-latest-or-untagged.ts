import { parseImageRef } from '../../image-ref.ts';
import { externalBases, stageLabel } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

export default dockerRule({
  id: 'DOCKER-002',
  severity: 'medium',
  title: 'Base image latest or untagged',
  description:
    'An external FROM image (after ARG substitution) has no digest and either no tag or the tag latest, so every build may start from a different image.',
  remediation: 'Name a specific version tag in FROM (better: also a digest, `image:1.2.3@sha256:…`).',
  compliance: ['NIST-800-190 4.1.5', 'PCI-DSS 6.3.2'],
  *check({ dockerfile }) {
    for (const stage of externalBases(dockerfile)) {
      const ref = parseImageRef(stage.base);
      if (ref.digest !== null || (ref.tag !== null && ref.tag !== 'latest')) continue;
      yield {
        line: stage.from.line,
        message: ref.tag === null ? `FROM ${stage.base} has no tag (it means latest)` : `FROM ${stage.base} uses the latest tag`,
        field: `${stageLabel(dockerfile, stage.index)} FROM`,
      };
    }
  },
});
