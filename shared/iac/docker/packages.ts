/**
 * Package-manager commands of a RUN (DOCKER-010, -014, -015, -016): which manager, which subcommand,
 * which package operands.
 */
import type { Instruction } from './parse.ts';
import type { SimpleCommand } from './shell.ts';

/** `yum` stands for the rpm family front-ends: yum, dnf, microdnf, tdnf. */
export type PackageManager = 'apt' | 'apk' | 'yum' | 'zypper' | 'pip' | 'npm' | 'gem' | 'go';

export interface PackageCommand {
  manager: PackageManager;
  /** The program as typed (`apt-get`, `dnf`, `pip3`, ...); `python -m pip` is `pip`. */
  program: string;
  /** Normalised: aliases such as `zypper in` or `npm i` become `install`; `yum update` stays `update`. */
  subcommand: string | undefined;
  /** Option words, with the arguments of options that take one. */
  options: string[];
  /** Non-option operands after the subcommand (package names, files, ...). */
  operands: string[];
}

/** Options that take the next word as their argument (`-o Dpkg::Options=…`, `-r requirements.txt`). */
const OPTIONS_WITH_ARGUMENT: Record<PackageManager, Set<string>> = {
  apt: new Set(['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release']),
  apk: new Set(['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '-t', '--virtual', '--cache-max-age']),
  yum: new Set(['-c', '--config', '-d', '--debuglevel', '-e', '--errorlevel', '-x', '--exclude', '--installroot', '--releasever', '--setopt', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--forcearch', '--downloaddir', '--destdir']),
  zypper: new Set(['-r', '--repo', '--from', '-t', '--type', '-R', '--root', '--reposd-path', '--cache-dir']),
  pip: new Set([
    '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
    '--trusted-host', '-t', '--target', '--prefix', '--root', '--src', '--upgrade-strategy', '--platform', '--python-version',
    '--implementation', '--abi', '--no-binary', '--only-binary', '--progress-bar', '--log', '--cache-dir', '--proxy', '--retries',
    '--timeout', '--exists-action', '--cert', '--client-cert', '--global-option', '--install-option', '-C', '--config-settings', '--report',
  ]),
  npm: new Set(['--prefix', '--registry', '--cache', '--tag', '-w', '--workspace', '--omit', '--include']),
  gem: new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '--platform', '-g', '--file']),
  go: new Set(['-o', '-tags', '-ldflags', '-gcflags', '-asmflags', '-p', '-mod', '-modfile', '-pkgdir', '-overlay', '-buildmode', '-compiler', '-gccgoflags', '-installsuffix', '-toolexec', '-pgo']),
};

const ALIASES: Partial<Record<PackageManager, Record<string, string>>> = {
  zypper: { in: 'install', ref: 'refresh', cc: 'clean', up: 'update', dup: 'dist-upgrade', rm: 'remove' },
  npm: { i: 'install', in: 'install', add: 'install', isntall: 'install' },
};

const RPM_FRONTENDS = new Set(['yum', 'dnf', 'microdnf', 'tdnf']);

export function packageCommand(command: SimpleCommand): PackageCommand | null {
  const [program, ...rest] = command.argv;
  let manager: PackageManager | null = null;
  let args = rest;
  if (program === 'apt-get' || program === 'apt') manager = 'apt';
  else if (program === 'apk') manager = 'apk';
  else if (RPM_FRONTENDS.has(program)) manager = 'yum';
  else if (program === 'zypper') manager = 'zypper';
  else if (program === 'npm') manager = 'npm';
  else if (program === 'gem') manager = 'gem';
  else if (program === 'go') manager = 'go';
  else if (/^pip\d*(?:\.\d+)*$/.test(program ?? '')) manager = 'pip';
  else if (/^python\d*(?:\.\d+)*$/.test(program ?? '') && rest[0] === '-m' && /^pip\d*(?:\.\d+)*$/.test(rest[1] ?? '')) {
    manager = 'pip';
    args = rest.slice(2);
  }
  if (manager === null) return null;
  const withArgument = OPTIONS_WITH_ARGUMENT[manager];
  const options: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('-') && arg.length > 1) {
      options.push(arg);
      if (withArgument.has(arg) && i + 1 < args.length) options.push(args[++i]);
    } else {
      positional.push(arg);
    }
  }
  const [sub, ...operands] = positional;
  return { manager, program: manager === 'pip' ? 'pip' : program, subcommand: sub === undefined ? undefined : (ALIASES[manager]?.[sub] ?? sub), options, operands };
}

/** Subcommands that download and install packages, per manager. */
const INSTALLS: Record<PackageManager, Set<string>> = {
  apt: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall']),
  apk: new Set(['add', 'upgrade', 'fix']),
  yum: new Set(['install', 'update', 'upgrade', 'groupinstall', 'localinstall', 'reinstall', 'downgrade', 'distro-sync']),
  zypper: new Set(['install', 'update', 'dist-upgrade']),
  pip: new Set(['install']),
  npm: new Set(['install']),
  gem: new Set(['install']),
  go: new Set(['install']),
};

export function isInstall(p: PackageCommand): boolean {
  return p.subcommand !== undefined && INSTALLS[p.manager].has(p.subcommand);
}

/** Whether the option is given, alone or as `--option=value`. */
export function hasOption(p: PackageCommand, ...names: string[]): boolean {
  return p.options.some((o) => names.some((n) => o === n || o.startsWith(`${n}=`)));
}

/** The package commands of a list of simple commands. */
export function packageCommands(commands: readonly SimpleCommand[]): PackageCommand[] {
  return commands.map(packageCommand).filter((p): p is PackageCommand => p !== null);
}

/** Targets of `--mount=type=cache` and `--mount=type=tmpfs` on a RUN: directories whose content stays out of the image. */
export function uncommittedMounts(run: Instruction): string[] {
  const targets: string[] = [];
  for (const f of run.flags) {
    if (f.name !== 'mount' || f.value === null) continue;
    const fields = new Map(f.value.split(',').map((kv) => {
      const eq = kv.indexOf('=');
      return eq < 0 ? [kv.trim(), ''] : [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
    }));
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if (target && (fields.get('type') === 'cache' || fields.get('type') === 'tmpfs')) targets.push(target.replace(/\/+$/, ''));
  }
  return targets;
}
