import { isShell, type SimpleCommand } from '../../../iac/docker/shell.ts';
import { imageCheck } from '../check.ts';
import { commandsOf, describeStep, runSteps, stepField } from '../history.ts';

const DOWNLOADERS = new Set(['curl', 'wget']);
const takesScript = (program: string | undefined) => program !== undefined && (isShell(program) || /^python[\d.]*$/.test(program));
/** `bash <(curl …)`, `sh -c "$(wget -qO- …)"`, `source <(curl …)`: a download handed to a shell without a pipe. */
const SUBSTITUTED_DOWNLOAD = /(?:\b(?:ba|da|z|k)?sh|\bsource|(?:^|[\s;&|])\.)\s+(?:-c\s+)?["']?(?:<\(|\$\()\s*(?:curl|wget)\b/;

function pipedDownloads(commands: readonly SimpleCommand[]): string[] {
  const found: string[] = [];
  commands.forEach((command, i) => {
    if (!DOWNLOADERS.has(command.argv[0])) return;
    const target = commands.slice(i + 1).find((c) => c.pipeline === command.pipeline && takesScript(c.argv[0]));
    if (target) found.push(`${command.argv[0]} | ${target.argv[0]}`);
  });
  return [...new Set(found)];
}

export default imageCheck({
  id: 'IMG-022',
  severity: 'medium',
  title: 'Download piped into a shell',
  description: 'A RUN in the history pipes `curl`/`wget` output into `sh`, `bash` or `python`, or runs `bash <(curl …)`: the build executed whatever the server sent, unverified.',
  remediation: 'Download to a file, verify its checksum or signature, then run it; better, install from a signed package repository.',
  compliance: ['NIST-800-190 4.1.3', 'MITRE T1195.002'],
  *check(image) {
    for (const step of runSteps(image.config)) {
      const found = pipedDownloads(commandsOf(step));
      if (SUBSTITUTED_DOWNLOAD.test(step.text)) found.push('shell <(download)');
      if (found.length > 0) yield { message: `${describeStep(step)}: runs a download without verifying it (${found.join(', ')})`, historyIndex: step.index, field: stepField(step) };
    }
  },
});
