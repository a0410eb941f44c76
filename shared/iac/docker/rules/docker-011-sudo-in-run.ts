import { instructionField, runsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

export default dockerRule({
  id: 'DOCKER-011',
  severity: 'medium',
  title: 'sudo in RUN',
  description:
    'A simple command in a RUN starts with sudo: the build already runs as the current USER, and sudo in the image gives any process a path back to root.',
  remediation: 'Drop sudo: switch with `USER root` for the steps that need it and back to the unprivileged user afterwards; do not install sudo in the image.',
  compliance: ['NIST-800-190 4.1.2'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const sudo = commands.filter((c) => c.wrappers[0] === 'sudo');
      if (sudo.length === 0) continue;
      yield { line: run.line, message: `RUN uses sudo: ${[...new Set(sudo.map((c) => `sudo ${c.argv[0] ?? ''}`.trim()))].join(', ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
