import { finalStage, lineage } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

const ROOT = /^(?:root|0)(?::.*)?$/;

export default dockerRule({
  id: 'DOCKER-001',
  severity: 'high',
  title: 'Final stage runs as root',
  description:
    'The final stage sets no USER, or its last USER is root, 0, root:<group> or 0:<group>. A base image’s own USER cannot be seen in the Dockerfile, so a missing USER is reported with that caveat (the image scan confirms it).',
  remediation: 'End the final stage with `USER <non-root user or uid>` (after the steps that need root), e.g. `USER 10001:10001`.',
  compliance: ['CIS-DOCKER 4.1', 'NIST-800-190 4.1.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  *check({ dockerfile }) {
    const final = finalStage(dockerfile);
    if (!final) return;
    // A stage built on an earlier stage inherits that stage's USER.
    for (const stage of lineage(dockerfile, final)) {
      const users = stage.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (!last) continue;
      const user = last.words[0]?.value;
      if (user === null || user === undefined || !ROOT.test(user)) return; // a named user, or not known statically
      yield { line: last.line, message: `the final stage runs as root: USER ${user}`, field: 'final-stage USER' };
      return;
    }
    const base = lineage(dockerfile, final).pop()!;
    yield {
      line: final.from.line,
      message:
        base.baseKind === 'scratch'
          ? 'the final stage is built FROM scratch and sets no USER, so it runs as root'
          : `the final stage sets no USER: it runs as the user of base image ${base.base ?? base.baseText}, which is root unless that image sets another (the image scan confirms)`,
      field: 'final-stage USER',
    };
  },
});
