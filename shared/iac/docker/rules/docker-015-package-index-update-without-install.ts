import { instructionField, runsOf } from '../instructions.ts';
import { isInstall, packageCommands, type PackageCommand } from '../packages.ts';
import { dockerRule } from '../rule.ts';

/** Index updates: `apt-get update`, `apk update`, `yum|dnf makecache` (and the tdnf/microdnf front-ends). */
function updatesIndex(p: PackageCommand): boolean {
  return (p.manager === 'apt' && p.subcommand === 'update') || (p.manager === 'apk' && p.subcommand === 'update') || (p.manager === 'yum' && p.subcommand === 'makecache');
}

export default dockerRule({
  id: 'DOCKER-015',
  severity: 'low',
  title: 'Package index update without install',
  description:
    'A RUN updates a package index (`apt-get update`, `apk update`, `yum|dnf makecache`) but installs nothing with that package manager in the same RUN: the index layer is cached and goes stale, and later installs are not reproducible.',
  remediation: 'Update and install in one RUN: `RUN apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`.',
  compliance: ['CIS-DOCKER 4.7', 'NIST-800-190 4.1.1'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const packages = packageCommands(commands);
      const stale = packages.filter((p) => updatesIndex(p) && !packages.some((q) => q.manager === p.manager && isInstall(q)));
      const names = [...new Set(stale.map((p) => `${p.program} ${p.subcommand}`))];
      if (names.length > 0) yield { line: run.line, message: `${names.join(', ')} without an install in the same RUN`, field: instructionField(dockerfile, run) };
    }
  },
});
