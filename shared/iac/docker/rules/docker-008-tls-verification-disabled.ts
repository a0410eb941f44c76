import { instructionField, instructionsOf, runsOf } from '../instructions.ts';
import { hasOption, packageCommand } from '../packages.ts';
import { dockerRule } from '../rule.ts';
import { curlInsecure, type SimpleCommand } from '../shell.ts';

const FALSE = /^(?:false|0|no|off)$/i;

/** `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set strict-ssl false` (or yarn 2+ `enableStrictSsl`). */
function strictSslOff(argv: readonly string[]): boolean {
  const operands = argv.slice(1).filter((a) => !a.startsWith('-'));
  const setting = operands[0] === 'config' && operands[1] === 'set' ? operands.slice(2) : operands[0] === 'set' ? operands.slice(1) : null;
  if (!setting) return false;
  const [key = '', value = ''] = setting[0]?.includes('=') ? setting[0].split('=', 2) : setting;
  return /^(?:strict-ssl|enableStrictSsl)$/i.test(key) && FALSE.test(value);
}

/** `git -c http.sslVerify=false …` or `git config [--global] http[.<url>].sslVerify false`. */
function gitSslVerifyOff(argv: readonly string[]): boolean {
  const key = /^http\.(?:.+\.)?sslverify$/i;
  for (let i = 1; i < argv.length - 1; i++) {
    if (argv[i] !== '-c') continue;
    const [k, v = ''] = argv[i + 1].split('=', 2);
    if (key.test(k) && FALSE.test(v)) return true;
  }
  const operands = argv.slice(1).filter((a) => !a.startsWith('-'));
  const config = operands.indexOf('config');
  return config >= 0 && key.test(operands[config + 1] ?? '') && FALSE.test(operands[config + 2] ?? '');
}

/** What a simple command does to disable TLS verification, or null. */
function insecureCommand(command: SimpleCommand): string | null {
  const [program] = command.argv;
  if (program === 'curl' && curlInsecure(command.argv)) return 'curl -k/--insecure';
  if (program === 'wget' && command.argv.includes('--no-check-certificate')) return 'wget --no-check-certificate';
  const pkg = packageCommand(command);
  if (pkg?.manager === 'pip' && hasOption(pkg, '--trusted-host')) return 'pip --trusted-host';
  if ((program === 'npm' || program === 'yarn') && strictSslOff(command.argv)) return `${program} config set strict-ssl false`;
  if (program === 'git' && gitSslVerifyOff(command.argv)) return 'git http.sslVerify=false';
  if (['yum-config-manager', 'yum', 'dnf', 'microdnf', 'tdnf'].includes(program ?? '') && /--setopt[= ]\S*sslverify=(?:0|false|no)\b/i.test(command.argv.join(' '))) {
    return `${program} --setopt=sslverify=0`;
  }
  const assigned = program === 'export' ? command.argv.slice(1) : command.assignments;
  for (const assignment of assigned) {
    const eq = assignment.indexOf('=');
    if (eq > 0 && insecureVariable(assignment.slice(0, eq), assignment.slice(eq + 1))) return assignment.slice(0, eq);
  }
  return null;
}

/** Environment variables that turn verification off: NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, GIT_SSL_NO_VERIFY, NPM_CONFIG_STRICT_SSL=false, PIP_TRUSTED_HOST. */
function insecureVariable(name: string, value: string): boolean {
  const v = value.trim();
  if (name === 'NODE_TLS_REJECT_UNAUTHORIZED' || name === 'PYTHONHTTPSVERIFY') return v === '0';
  if (name === 'GIT_SSL_NO_VERIFY') return true; // git disables verification whenever it is set
  if (name.toUpperCase() === 'NPM_CONFIG_STRICT_SSL') return FALSE.test(v); // npm reads its environment case-insensitively
  return name === 'PIP_TRUSTED_HOST' && v !== '';
}

export default dockerRule({
  id: 'DOCKER-008',
  severity: 'high',
  title: 'TLS verification disabled in the build',
  description:
    'A RUN disables certificate checks (`curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host`, `npm|yarn config set strict-ssl false`, `git -c http.sslVerify=false`, `yum-config-manager --setopt=*sslverify=0`), or ENV sets NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0, GIT_SSL_NO_VERIFY, NPM_CONFIG_STRICT_SSL=false or PIP_TRUSTED_HOST: downloads can be tampered with in transit.',
  remediation:
    'Keep TLS verification on; when a private CA is involved, add its certificate to the image trust store (or pass it with --cacert / REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS).',
  compliance: ['NIST-800-190 4.2.1', 'PCI-DSS 4.2.1', 'MITRE T1195.002'],
  *check({ dockerfile }) {
    for (const { run, commands } of runsOf(dockerfile)) {
      const found = [...new Set(commands.map(insecureCommand).filter((r): r is string => r !== null))];
      if (found.length > 0) yield { line: run.line, message: `TLS verification disabled: ${found.join(', ')}`, field: instructionField(dockerfile, run) };
    }
    for (const env of instructionsOf(dockerfile, 'ENV')) {
      const found = env.declarations.filter((d) => insecureVariable(d.name, d.resolved ?? d.value ?? '')).map((d) => d.name);
      if (found.length > 0) yield { line: env.line, message: `TLS verification disabled by ENV ${found.join(', ')}`, field: instructionField(dockerfile, env) };
    }
  },
});
