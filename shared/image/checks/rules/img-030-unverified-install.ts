import { curlInsecure, type SimpleCommand } from '../../../iac/docker/shell.ts';
import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';

const hasFlag = (argv: readonly string[], flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));

/** What one command does to skip package or transport verification. */
function unverified(command: SimpleCommand): string[] {
  const [program = '', ...args] = command.argv;
  const found: string[] = [];
  if (program === 'apt-get' || program === 'apt') {
    for (const flag of ['--allow-unauthenticated', '--force-yes']) if (hasFlag(args, flag)) found.push(`${program} ${flag}`);
  }
  if (['yum', 'dnf', 'microdnf', 'tdnf', 'zypper'].includes(program) && hasFlag(args, '--nogpgcheck')) found.push(`${program} --nogpgcheck`);
  if (program === 'apk' && hasFlag(args, '--allow-untrusted')) found.push('apk --allow-untrusted');
  if (/^pip\d*(?:\.\d+)*$/.test(program) || (/^python\d*(?:\.\d+)*$/.test(program) && args[0] === '-m' && /^pip/.test(args[1] ?? ''))) {
    if (hasFlag(args, '--trusted-host')) found.push('pip --trusted-host');
  }
  if (program === 'npm' || program === 'yarn') {
    const words = args.filter((a) => !a.startsWith('-'));
    const setting = words[0] === 'config' && words[1] === 'set' ? words.slice(2) : words[0] === 'set' ? words.slice(1) : [];
    const [key = '', value = ''] = setting[0]?.includes('=') ? setting[0].split('=', 2) : setting;
    if (/^strict-ssl$/i.test(key) && /^(?:false|0|no)$/i.test(value)) found.push(`${program} config set strict-ssl false`);
  }
  if (program === 'curl' && curlInsecure(command.argv)) found.push('curl -k/--insecure');
  return found;
}

export default imageCheck({
  id: 'IMG-030',
  severity: 'high',
  title: 'Unverified package install',
  description:
    'A RUN turns off package signature or TLS verification: `--allow-unauthenticated`, `--force-yes`, `--nogpgcheck`, `gpgcheck=0`, `apk --allow-untrusted`, `pip --trusted-host`, `npm config set strict-ssl false`, `curl -k`/`--insecure`. Tampered packages would have been installed without complaint.',
  remediation: 'Remove the option and trust the repository properly: import its signing key, or add a private CA to the trust store.',
  compliance: ['CIS-DOCKER 4.11', 'NIST-800-190 4.1.3', 'MITRE T1195.002'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      const found = new Set(commandsOf(step).flatMap(unverified));
      if (/\bgpgcheck\s*=\s*(?:0|false|no)\b/i.test(step.text)) found.add('gpgcheck=0');
      if (found.size > 0) yield { message: `${describeStep(step)}: verification disabled (${[...found].join(', ')})`, historyIndex: step.index, field: stepField(step) };
    }
  },
});
