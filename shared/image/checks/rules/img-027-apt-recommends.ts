import { hasOption, packageCommands } from '../../../iac/docker/packages.ts';
import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';

export default imageCheck({
  id: 'IMG-027',
  severity: 'info',
  title: 'apt install without --no-install-recommends',
  description: 'A RUN runs `apt-get install` (or `apt install`) without `--no-install-recommends`: recommended packages the image does not need come along, each one more to patch.',
  remediation: 'Install with `apt-get install -y --no-install-recommends …`.',
  compliance: ['CIS-DOCKER 4.3', 'NIST-800-190 4.1.2'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      const bare = packageCommands(commandsOf(step)).filter(
        (p) =>
          p.manager === 'apt' &&
          p.subcommand === 'install' &&
          !hasOption(p, '--no-install-recommends') &&
          !p.options.some((o) => /^APT::Install-Recommends=(?:false|0|no)$/i.test(o)),
      );
      if (bare.length > 0) yield { message: `${describeStep(step)}: ${bare[0].program} install without --no-install-recommends`, historyIndex: step.index, field: stepField(step) };
    }
  },
});
