import { copyOperands, flag, instructionField, instructionsOf, runsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';
import { isShell, type SimpleCommand } from '../shell.ts';

const DOWNLOADERS = new Set(['curl', 'wget']);
const INTERPRETER = /^(?:python[\d.]*|perl|ruby|node|php)$/;

function isInterpreter(program: string | undefined): boolean {
  return program !== undefined && (isShell(program) || INTERPRETER.test(program));
}

/** `curl … | sh` and the like: a download earlier in a pipeline than an interpreter. */
function pipedIntoInterpreter(commands: readonly SimpleCommand[]): string[] {
  const found: string[] = [];
  commands.forEach((command, i) => {
    if (!DOWNLOADERS.has(command.argv[0])) return;
    const target = commands.slice(i + 1).find((c) => c.pipeline === command.pipeline && isInterpreter(c.argv[0]));
    if (target) found.push(`${command.argv[0]} | ${target.argv[0]}`);
  });
  return found;
}

export default dockerRule({
  id: 'DOCKER-009',
  severity: 'medium',
  title: 'Unverified remote code',
  description:
    '`ADD http(s)://…` without `--checksum`, or a RUN pipes a download into an interpreter (`curl|wget … | sh|bash|python|perl`): whatever the server returns is built into the image or executed unchecked.',
  remediation:
    'Use `ADD --checksum=sha256:… <url>`, or download to a file, verify its checksum or signature, then run it.',
  compliance: ['NIST-800-190 4.1.3', 'MITRE T1195.002'],
  *check({ dockerfile }) {
    for (const add of instructionsOf(dockerfile, 'ADD')) {
      if (flag(add, 'checksum')) continue;
      const urls = copyOperands(add).sources.filter((s) => s.value !== null && /^https?:\/\//i.test(s.value)).map((s) => s.value);
      if (urls.length > 0) yield { line: add.line, message: `ADD ${urls.join(', ')} without --checksum`, field: instructionField(dockerfile, add) };
    }
    for (const { run, commands } of runsOf(dockerfile)) {
      const pipes = [...new Set(pipedIntoInterpreter(commands))];
      if (pipes.length > 0) yield { line: run.line, message: `RUN pipes a download into an interpreter: ${pipes.join(', ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
