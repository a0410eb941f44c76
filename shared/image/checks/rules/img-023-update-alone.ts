import { isInstall, packageCommands, type PackageCommand } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';

/** `apt-get update`, `apk update`, `yum|dnf makecache`: refreshes the package index only. */
function isIndexUpdate(p: PackageCommand): boolean {
  if (p.manager === 'apt' || p.manager === 'apk') return p.subcommand === 'update';
  return p.manager === 'yum' && p.subcommand === 'makecache';
}

export default imageCheck({
  id: 'IMG-023',
  severity: 'medium',
  title: 'Package index update in a RUN of its own',
  description:
    'A RUN refreshes the package index (`apt-get update`, `apk update`, `yum makecache`) without installing or upgrading in the same RUN: the cached layer keeps a stale index, so later installs can pull outdated packages.',
  remediation: 'Update and install in one RUN: `apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/*`.',
  compliance: ['CIS-DOCKER 4.7', 'NIST-800-190 4.1.1'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      const packages = packageCommands(commandsOf(step));
      const updates = packages.filter(isIndexUpdate);
      if (updates.length === 0 || packages.some(isInstall)) continue;
      yield { message: `${describeStep(step)}: ${updates.map((p) => `${p.program} ${p.subcommand}`).join(', ')} without an install in the same RUN`, historyIndex: step.index, field: stepField(step) };
    }
  },
});
