import { matchesAllowlist, resolvedName } from '../../image-ref.ts';
import { externalBases, stageLabel } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

export default dockerRule({
  id: 'DOCKER-004',
  severity: 'medium',
  title: 'Base image from an untrusted registry',
  description:
    'A registry allowlist (trustedRegistries) is configured and an external FROM image does not match it: registry hosts or repository prefixes, matched on a `/` boundary; names without a host are Docker Hub (`docker.io/library/` for single names). Off when no allowlist is configured.',
  remediation: 'Build from an image in a trusted registry (mirror the base image there), or add its registry to trustedRegistries.',
  compliance: ['CIS-DOCKER 4.2', 'NIST-800-190 4.1.5', 'MITRE T1204.003'],
  *check({ dockerfile, settings }) {
    if (settings.trustedRegistries.length === 0) return;
    for (const stage of externalBases(dockerfile)) {
      if (matchesAllowlist(stage.base, settings.trustedRegistries)) continue;
      yield {
        line: stage.from.line,
        message: `FROM ${stage.base} (${resolvedName(stage.base)}) is not in the trusted registries`,
        field: `${stageLabel(dockerfile, stage.index)} FROM`,
      };
    }
  },
});
