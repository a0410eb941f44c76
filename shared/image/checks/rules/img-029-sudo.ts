import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';
import { osPackagesNamed } from '../packages.ts';

export default imageCheck({
  id: 'IMG-029',
  severity: 'medium',
  title: 'sudo used or installed',
  description: 'A RUN in the history calls `sudo`, or the `sudo` package is installed: sudo in an image gives any process that gets in a documented way back to root.',
  remediation: 'Drop sudo: use `USER root` for the build steps that need it and a non-root USER afterwards; do not install the sudo package.',
  compliance: ['NIST-800-190 4.1.2', 'MITRE T1548.003'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      if (commandsOf(step).some((c) => c.wrappers.includes('sudo') || c.argv[0] === 'sudo')) {
        yield { message: `${describeStep(step)}: uses sudo`, historyIndex: step.index, field: stepField(step) };
      }
    }
    for (const p of osPackagesNamed(image.packages, (name) => name === 'sudo' || name === 'sudo-ldap')) {
      yield { message: `package ${p.name} ${p.version} is installed`, path: p.path, layerDigest: p.layerDigest, field: `package:${p.name}` };
    }
  },
});
