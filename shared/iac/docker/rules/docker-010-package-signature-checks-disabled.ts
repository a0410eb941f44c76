import { instructionField, runsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';
import type { SimpleCommand } from '../shell.ts';

const DISABLING_OPTIONS: { programs: Set<string>; options: string[] }[] = [
  { programs: new Set(['apt-get', 'apt']), options: ['--allow-unauthenticated', '--force-yes'] },
  { programs: new Set(['apk']), options: ['--allow-untrusted'] },
  { programs: new Set(['yum', 'dnf', 'tdnf', 'microdnf']), options: ['--nogpgcheck'] },
  { programs: new Set(['rpm']), options: ['--nosignature', '--nodigest', '--noverify', '--nofiledigest'] },
];

function disabledChecks(command: SimpleCommand): string[] {
  const [program, ...args] = command.argv;
  const entry = DISABLING_OPTIONS.find((e) => e.programs.has(program));
  if (!entry) return [];
  return entry.options.filter((o) => args.some((a) => a === o || a.startsWith(`${o}=`))).map((o) => `${program} ${o}`);
}

export default dockerRule({
  id: 'DOCKER-010',
  severity: 'high',
  title: 'Package signature checks disabled',
  description:
    'A RUN installs packages with signature or digest checks off: `apt-get … --allow-unauthenticated` or `--force-yes`, `apk … --allow-untrusted`, `yum|dnf|tdnf|microdnf … --nogpgcheck`, `rpm … --nosignature|--nodigest|--noverify|--nofiledigest`.',
  remediation: 'Remove the option and import the repository’s signing key instead (apt keyring, `rpm --import`, apk keys).',
  compliance: ['NIST-800-190 4.1.3', 'PCI-DSS 6.3.2', 'MITRE T1195.002'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const found = [...new Set(commands.flatMap(disabledChecks))];
      if (found.length > 0) yield { line: run.line, message: `package signature checks disabled: ${found.join(', ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
