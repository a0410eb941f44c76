import { packageCommands } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';

export default imageCheck({
  id: 'IMG-028',
  severity: 'low',
  title: 'dist-upgrade in the image build',
  description: 'A RUN runs `apt-get dist-upgrade` or `apt full-upgrade`: the build may move to new major package versions the base image never shipped, so the result depends on the day it was built.',
  remediation: 'Rebuild on a newer base image instead, or upgrade only the packages you need.',
  compliance: ['NIST-800-190 4.1.2'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      const upgrades = packageCommands(commandsOf(step)).filter((p) => p.manager === 'apt' && (p.subcommand === 'dist-upgrade' || p.subcommand === 'full-upgrade'));
      if (upgrades.length > 0) yield { message: `${describeStep(step)}: ${upgrades[0].program} ${upgrades[0].subcommand}`, historyIndex: step.index, field: stepField(step) };
    }
  },
});
