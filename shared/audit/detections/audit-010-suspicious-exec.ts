import { actorLabel, isPlatformActivity, registerDetection, STREAM_VERBS } from '../detection.ts';
import { execRequestOf } from '../exec.ts';

/** Substrings of the command that point at credentials or cloud metadata. */
const CREDENTIAL_PATHS = ['/var/run/secrets/', 'serviceaccount/token', '/etc/kubernetes/', '/var/lib/kubelet/', '/etc/shadow', '.aws/credentials', '.kube/config', '.ssh/id_'];
const PROC_ENVIRON = /\/proc\/(?:\d+|self|\*)\/environ/;
const METADATA_ENDPOINTS = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', 'metadata.google.internal'];
const DOWNLOAD_AND_RUN = /\b(?:curl|wget)\b[^|]*\|\s*(?:sudo\s+)?(?:ba)?sh\b/;

const basename = (token: string) => token.slice(token.lastIndexOf('/') + 1);

/** Why a command line looks like credential theft, a reverse shell, download-and-run or copy-out; [] when it does not. */
export function suspiciousCommandReasons(commandLine: string): string[] {
  const reasons: string[] = [];
  const credential = CREDENTIAL_PATHS.find((p) => commandLine.includes(p)) ?? PROC_ENVIRON.exec(commandLine)?.[0];
  if (credential) reasons.push(`credential path ${credential}`);
  const metadata = METADATA_ENDPOINTS.find((m) => commandLine.includes(m));
  if (metadata) reasons.push(`cloud metadata endpoint ${metadata}`);
  // Tokens of the whole line, shell punctuation separated, so `sh -c "bash -i >& /dev/tcp/…"` is seen too.
  const tokens = commandLine.split(/[\s;&|()<>"'`]+/).filter(Boolean);
  const at = (i: number) => tokens[i] ?? '';
  if (/\/dev\/(?:tcp|udp)\//.test(commandLine)) reasons.push('reverse shell (/dev/tcp or /dev/udp)');
  tokens.forEach((token, i) => {
    const cmd = basename(token);
    if ((cmd === 'nc' || cmd === 'ncat' || cmd === 'netcat') && tokens.slice(i + 1).some((t) => t === '-e' || t === '--exec' || /^-[A-Za-z]*e[A-Za-z]*$/.test(t))) reasons.push(`reverse shell (${cmd} -e)`);
    if ((cmd === 'bash' || cmd === 'sh') && at(i + 1) === '-i') reasons.push(`interactive shell (${cmd} -i)`);
    if (cmd === 'mkfifo') reasons.push('named pipe (mkfifo)');
    if (cmd === 'socat' && tokens.slice(i + 1).some((t) => /exec:|pty/i.test(t))) reasons.push('reverse shell (socat exec/pty)');
    // kubectl cp out of a pod runs `tar cf - <path>`: archive to stdout. `tar xf -` and `tar cf file` are not copy-out.
    if (cmd === 'tar' && /^-?[A-Za-z]*c[A-Za-z]*f$/.test(at(i + 1)) && at(i + 2) === '-') reasons.push('copy out of the pod (tar to stdout)');
  });
  if (DOWNLOAD_AND_RUN.test(commandLine)) reasons.push('download piped into a shell');
  return [...new Set(reasons)];
}

export default registerDetection({
  id: 'AUDIT-010',
  severity: 'high',
  title: 'Exec with a credential-theft, shell-back or exfiltration command',
  description: 'A pods/exec request runs a command that reads credential paths, reaches a cloud metadata endpoint, opens a reverse shell, pipes a download into a shell or archives files to stdout (kubectl cp out of the pod).',
  remediation: 'Treat as a possible compromise: identify the actor, revoke their credentials if unexpected, rotate the service-account and cloud credentials the pod could read, and review what the session did.',
  tier: 1,
  level: 'M',
  mitre: ['T1609', 'T1528', 'T1552.005', 'T1059', 'T1041'],
  resources: ['pods'],
  verbs: ['create', 'get'],
  absorbs: ['AUDIT-009'],
  // The catalog's one allow-list of (actor, namespace, pod prefix, command) tuples for exec.
  exceptionsFrom: ['AUDIT-009'],
  evaluate(event, ctx) {
    if (event.subresource !== 'exec' || !STREAM_VERBS.has(event.verb) || !event.notFailed) return null;
    if (isPlatformActivity(event, ctx.settings)) return null;
    const exec = execRequestOf(event);
    if (exec.commandLine === '') return null;
    const reasons = suspiciousCommandReasons(exec.commandLine);
    if (reasons.length === 0) return null;
    return {
      key: [event.user.username, event.namespace, event.name],
      message: `${actorLabel(event)} ran "${exec.commandLine}" in pod ${event.namespace}/${event.name}: ${reasons.join('; ')}`,
      container: exec.container || null,
      command: exec.commandLine,
      evidence: { command: exec.argv, reasons, container: exec.container || null, tty: exec.tty, stdin: exec.stdin, pod: event.name, namespace: event.namespace },
    };
  },
});
