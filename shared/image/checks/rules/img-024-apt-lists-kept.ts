import { isInstall, packageCommands } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { finalFilesUnder } from '../filesystem.ts';
import { commandsOf, describeStep, removesPath, runSteps, stepField } from '../history.ts';

const APT_LISTS = 'var/lib/apt/lists';

export default imageCheck({
  id: 'IMG-024',
  severity: 'low',
  title: 'apt package lists not cleaned',
  description:
    'A RUN runs `apt-get install` or `apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same RUN, or /var/lib/apt/lists/ holds files in the final filesystem: tens of megabytes of index that only go stale.',
  remediation: 'End the RUN that installs with `&& rm -rf /var/lib/apt/lists/*`.',
  compliance: ['NIST-800-190 4.1.2'],
  *check(image) {
    let reported = false;
    for (const step of runSteps(image.config)) {
      const commands = commandsOf(step);
      const apt = packageCommands(commands).filter((p) => p.manager === 'apt' && (isInstall(p) || p.subcommand === 'update'));
      if (apt.length === 0 || removesPath(commands, APT_LISTS)) continue;
      reported = true;
      yield { message: `${describeStep(step)}: ${[...new Set(apt.map((p) => `${p.program} ${p.subcommand}`))].join(', ')} without rm -rf /var/lib/apt/lists/* in the same RUN`, historyIndex: step.index, field: stepField(step) };
    }
    if (reported) return;
    const lists = finalFilesUnder(image, APT_LISTS).filter((path) => path !== `${APT_LISTS}/lock`);
    if (lists.length > 0) yield { message: `/${APT_LISTS}/ holds ${lists.length} file(s) in the final filesystem`, path: APT_LISTS, field: `path:${APT_LISTS}` };
  },
});
