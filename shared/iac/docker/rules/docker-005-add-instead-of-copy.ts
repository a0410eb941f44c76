import { copyOperands, instructionField, instructionsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

/** Archives ADD extracts (it recognises gzip, bzip2, xz and zstd compressed tar). */
const TAR_ARCHIVE = /\.(?:tar|tar\.(?:gz|bz2|xz|zst)|tgz|tbz2?|txz|tzst)$/i;
/** Remote sources (URLs, git) are DOCKER-009's concern. */
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i;

export default dockerRule({
  id: 'DOCKER-005',
  severity: 'low',
  title: 'ADD used where COPY suffices',
  description:
    'ADD copies a local source that is not a tar archive to extract (or a here-document); COPY does the same without ADD’s implicit URL download and archive extraction. ADD of a URL is reported by DOCKER-009.',
  remediation: 'Use COPY for local files and directories; keep ADD only for tar archives that should be extracted.',
  compliance: ['CIS-DOCKER 4.9', 'NIST-800-190 4.1.2'],
  *check({ dockerfile }) {
    for (const add of instructionsOf(dockerfile, 'ADD')) {
      const local = copyOperands(add)
        .sources.map((s) => s.value)
        .filter((s): s is string => s !== null && !REMOTE.test(s) && !TAR_ARCHIVE.test(s));
      if (add.heredocs.length > 0) local.push(...add.heredocs.map((h) => `<<${h.delimiter}`));
      if (local.length === 0) continue;
      yield { line: add.line, message: `ADD ${local.join(', ')}: COPY suffices`, field: instructionField(dockerfile, add) };
    }
  },
});
