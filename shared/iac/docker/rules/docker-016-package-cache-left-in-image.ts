import { instructionField, runsOf } from '../instructions.ts';
import { hasOption, isInstall, packageCommands, uncommittedMounts, type PackageCommand, type PackageManager } from '../packages.ts';
import { dockerRule } from '../rule.ts';
import type { SimpleCommand } from '../shell.ts';

/** Where each manager keeps what the cleanup removes (`~` = any home directory). */
const CACHE_DIRECTORIES: Partial<Record<PackageManager, string[]>> = {
  apt: ['/var/lib/apt/lists'],
  apk: ['/var/cache/apk', '/etc/apk/cache'],
  yum: ['/var/cache/yum', '/var/cache/dnf', '/var/cache/tdnf'],
  zypper: ['/var/cache/zypp'],
  pip: ['~/.cache/pip'],
};

const CLEANUP: Partial<Record<PackageManager, string>> = {
  apt: 'rm -rf /var/lib/apt/lists/*',
  apk: 'apk --no-cache',
  yum: 'clean all',
  zypper: 'zypper clean',
  pip: 'pip --no-cache-dir',
};

/** Whether removing (or mounting over) `path` takes `directory` with it: the same directory, its contents or an ancestor. */
function covers(path: string, directory: string): boolean {
  const p = path
    .replace(/^(?:\/root|\/home\/[^/]+|\$HOME|\$\{HOME\}|~)(?=\/|$)/, '~')
    .replace(/\/\*$/, '')
    .replace(/\/+$/, '');
  return p !== '' && (directory === p || directory.startsWith(`${p}/`));
}

const removes = (commands: readonly SimpleCommand[], directory: string) =>
  commands.some((c) => c.argv[0] === 'rm' && c.argv.slice(1).some((a) => covers(a, directory)));

function cleaned(p: PackageCommand, all: readonly PackageCommand[], commands: readonly SimpleCommand[], mounts: readonly string[], pipNoCacheEnv: boolean): boolean {
  const directories = CACHE_DIRECTORIES[p.manager];
  if (!directories) return true;
  if (directories.some((d) => removes(commands, d) || mounts.some((m) => covers(m, d)))) return true;
  switch (p.manager) {
    case 'apk':
      return hasOption(p, '--no-cache');
    case 'pip':
      return hasOption(p, '--no-cache-dir') || pipNoCacheEnv;
    case 'yum':
      return all.some((q) => q.manager === 'yum' && q.subcommand === 'clean' && q.operands.includes('all'));
    case 'zypper':
      return all.some((q) => q.manager === 'zypper' && q.subcommand === 'clean');
    default:
      return false;
  }
}

export default dockerRule({
  id: 'DOCKER-016',
  severity: 'low',
  title: 'Package manager cache left in the image',
  description:
    'A RUN installs packages without cleaning the package manager cache in that RUN (`rm -rf /var/lib/apt/lists/*`, `apk --no-cache`, `yum|dnf clean all`, `pip --no-cache-dir`, `zypper clean`); a cache or tmpfs `--mount` over the cache directory also keeps it out. A later RUN cannot shrink the earlier layer.',
  remediation: 'Clean up in the same RUN that installs, e.g. `apt-get install -y … && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache …`, `pip install --no-cache-dir …`.',
  compliance: [],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const packages = packageCommands(commands);
      const mounts = uncommittedMounts(run);
      const pipNoCacheEnv = (run.scope.get('PIP_NO_CACHE_DIR') ?? '') !== '';
      const missing = packages.filter((p) => isInstall(p) && !cleaned(p, packages, commands, mounts, pipNoCacheEnv));
      const names = [...new Set(missing.map((p) => `${p.program} ${p.subcommand} without ${CLEANUP[p.manager]}`))];
      if (names.length > 0) yield { line: run.line, message: `package cache left in the image: ${names.join('; ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
