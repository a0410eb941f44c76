import { instructionField, runsOf } from '../instructions.ts';
import { hasOption, isInstall, packageCommands, type PackageCommand } from '../packages.ts';
import { dockerRule } from '../rule.ts';

/** Files, paths and URLs name an exact artifact (or a lock/requirement file), not a package to pin. */
const NOT_A_PACKAGE_NAME = /^[./~]|:\/\/|^git\+|\.(?:deb|apk|rpm|whl|gem|tgz|zip|tar(?:\.\w+)?)$/i;
/** rpm-style `name-version[-release]`, version and release starting with a digit: `httpd-2.4.6-97.el7`. */
const RPM_VERSION = /-(?:\d+:)?\d[\w.+~^]*(?:-\d[\w.+~^]*)?$/;
const MUTABLE_GO_VERSIONS = new Set(['latest', 'master', 'main', 'head']);

/** The package operands of an install that carry no version. */
function unpinned(p: PackageCommand): string[] {
  const names = p.operands.filter((o) => !o.includes('$') && !NOT_A_PACKAGE_NAME.test(o));
  switch (p.manager) {
    case 'apt':
      return p.subcommand === 'install' ? names.filter((n) => !n.includes('=')) : [];
    case 'apk':
      return p.subcommand === 'add' ? names.filter((n) => !/[=<>~]/.test(n)) : [];
    case 'yum':
    case 'zypper':
      return p.subcommand === 'install' ? names.filter((n) => !n.startsWith('@') && !/[=<>]/.test(n) && !RPM_VERSION.test(n)) : [];
    case 'pip':
      if (p.subcommand !== 'install' || hasOption(p, '-c', '--constraint')) return [];
      return names.filter((n) => !/[=<>~!@]/.test(n));
    case 'npm': {
      const global = hasOption(p, '-g', '--global') || p.options.includes('--location=global');
      return p.subcommand === 'install' && global ? names.filter((n) => !/.@(?!latest$)./.test(n) && !n.includes(':')) : [];
    }
    case 'gem':
      if (p.subcommand !== 'install' || hasOption(p, '-v', '--version', '-g', '--file')) return [];
      return names.filter((n) => !n.includes(':'));
    case 'go': {
      if (p.subcommand !== 'install') return [];
      // Without @version, go install builds from the current module and its go.mod/go.sum.
      return names.filter((n) => n.includes('@') && MUTABLE_GO_VERSIONS.has(n.slice(n.lastIndexOf('@') + 1).toLowerCase()));
    }
  }
}

export default dockerRule({
  id: 'DOCKER-014',
  severity: 'low',
  title: 'Unpinned package versions',
  description:
    '`apt-get install`, `apk add`, `pip install`, `npm install -g`, `gem install`, `go install`, `yum|dnf|zypper install` name packages without versions, so rebuilds pick up whatever is newest. Requirement files (`-r`), constraint and lock files, local files and URLs are exempt.',
  remediation:
    'Pin versions (`curl=8.5.0-2`, `curl=8.5.0-r0`, `flask==3.0.3`, `npm i -g pnpm@9.1.0`, `gem install rake -v 13.2.1`, `go install x@v1.2.3`, `httpd-2.4.6`) or install from a lock/requirements file.',
  compliance: ['NIST-800-190 4.1.1', 'PCI-DSS 6.3.2'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const found = packageCommands(commands)
        .filter(isInstall)
        .map((p) => ({ p, names: unpinned(p) }))
        .filter(({ names }) => names.length > 0)
        .map(({ p, names }) => `${p.program} ${p.subcommand}: ${names.join(' ')}`);
      if (found.length > 0) yield { line: run.line, message: `packages without versions: ${found.join('; ')}`, field: instructionField(dockerfile, run) };
    }
  },
});
