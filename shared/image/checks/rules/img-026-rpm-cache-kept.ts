import { isInstall, packageCommands, type PackageCommand } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { finalFilesUnder } from '../filesystem.ts';
import { commandsOf, describeStep, removesPath, runSteps, stepField } from '../history.ts';

const CACHE_DIRECTORIES = ['var/cache/yum', 'var/cache/dnf', 'var/cache/zypp'];

function cleaned(p: PackageCommand, all: readonly PackageCommand[]): boolean {
  if (p.manager === 'zypper') return all.some((q) => q.manager === 'zypper' && q.subcommand === 'clean');
  return all.some((q) => q.manager === 'yum' && q.subcommand === 'clean' && q.operands.includes('all'));
}

export default imageCheck({
  id: 'IMG-026',
  severity: 'low',
  title: 'yum/dnf/microdnf/zypper cache kept',
  description:
    'A RUN installs with yum, dnf, microdnf or zypper without `clean all` / `zypper clean` (or removing the cache directory) in the same RUN, or /var/cache/yum, /var/cache/dnf or /var/cache/zypp hold files in the final filesystem.',
  remediation: 'End the RUN that installs with `&& dnf clean all` (`yum clean all`, `microdnf clean all`, `zypper clean -a`).',
  compliance: ['NIST-800-190 4.1.2'],
  *check(image) {
    let reported = false;
    for (const step of runSteps(image.config)) {
      const commands = commandsOf(step);
      const all = packageCommands(commands);
      const installs = all.filter((p) => (p.manager === 'yum' || p.manager === 'zypper') && isInstall(p) && !cleaned(p, all));
      if (installs.length === 0 || CACHE_DIRECTORIES.some((d) => removesPath(commands, d))) continue;
      reported = true;
      yield { message: `${describeStep(step)}: ${[...new Set(installs.map((p) => `${p.program} ${p.subcommand}`))].join(', ')} without cleaning the package cache`, historyIndex: step.index, field: stepField(step) };
    }
    if (reported) return;
    for (const dir of CACHE_DIRECTORIES) {
      const files = finalFilesUnder(image, dir);
      if (files.length > 0) yield { message: `/${dir}/ holds ${files.length} file(s) in the final filesystem`, path: dir, field: `path:${dir}` };
    }
  },
});
