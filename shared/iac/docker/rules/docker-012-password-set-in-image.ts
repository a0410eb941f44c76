import { instructionField, runsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';
import type { SimpleCommand } from '../shell.ts';

const SHADOW = '/etc/shadow';
const WRITING_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);

const isPasswordOption = (arg: string) => arg === '-p' || /^-p./.test(arg) || arg === '--password' || arg.startsWith('--password=');

/** How a simple command sets a password, or null. */
function passwordSetting(command: SimpleCommand): string | null {
  const [program, ...args] = command.argv;
  if (program === 'chpasswd') return 'chpasswd';
  if (program === 'passwd' && args.includes('--stdin')) return 'passwd --stdin';
  if ((program === 'usermod' || program === 'useradd') && args.some(isPasswordOption)) return `${program} -p`;
  if (command.redirects.some((r) => WRITING_REDIRECTS.has(r.op) && r.target === SHADOW)) return `a write to ${SHADOW}`;
  if (!args.includes(SHADOW)) return null;
  const writes =
    program === 'tee' ||
    ((program === 'sed' || program === 'perl') && args.some((a) => /^-[A-Za-z]*i/.test(a) || a.startsWith('--in-place'))) ||
    (['cp', 'mv', 'install', 'ln'].includes(program ?? '') && args[args.length - 1] === SHADOW);
  return writes ? `${program} ${SHADOW}` : null;
}

export default dockerRule({
  id: 'DOCKER-012',
  severity: 'high',
  title: 'Password set in the image',
  description:
    'A RUN sets a password: `chpasswd`, `passwd --stdin`, `usermod -p`/`--password` (or `useradd -p`), or writes to /etc/shadow. The password (or its hash) ships in every copy of the image and in the build history.',
  remediation: 'Do not set passwords in images: lock accounts (`passwd -l`), authenticate with keys or the orchestrator, and inject any credential at run time.',
  compliance: ['NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'PCI-DSS 2.2.2'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const found = [...new Set(commands.map(passwordSetting).filter((s): s is string => s !== null))];
      if (found.length > 0) yield { line: run.line, message: `RUN sets a password: ${found.join(', ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
