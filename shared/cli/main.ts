import { writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, type ShipwatchConfig } from '../config/config.ts';
import type { SourceFile } from '../scan/sources.ts';
import { atOrAbove, SEVERITIES, type Finding, type Severity } from '../findings/finding.ts';
import { scanSources } from '../scan/engine.ts';
import type { ScanResult } from '../scan/result.ts';
import { loadPolicies } from '../policy/load.ts';
import { allRules } from '../rules/registry.ts';
import '../rules/all.ts';
import { formatJson } from '../format/json.ts';
import { formatRulesTable, formatTable } from '../format/table.ts';
import { formatSarif } from '../format/sarif.ts';
import { formatCodeQuality } from '../format/codequality.ts';
import { formatMarkdown, formatRulesMarkdown } from '../format/markdown.ts';
import { loadInputs } from './inputs.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './usage.ts';
import { reportCommand } from './report.ts';
import { auditCommand } from './audit.ts';

const HELP = `shipwatch: Kubernetes security scanner

Usage:
  shipwatch scan [paths...|-] [--format table|json|sarif|markdown|codequality] [--output FILE]
                 [--config FILE] [--policies DIR] [--fail-on critical|high|medium|low|none] [--quiet]
  shipwatch audit <files...|-> [--cluster NAME] [--format table|json|sarif|markdown] [--output FILE]
                  [--config FILE] [--fail-on critical|high|medium|low|none] [--quiet]
  shipwatch image <registry/repo:tag|registry/repo@digest|oci-layout-dir|image.tar> [--format table|json|sarif|markdown]
                  [--output FILE] [--vuln-db DIR] [--platform os/arch] [--config FILE]
                  [--fail-on critical|high|medium|low|none] [--quiet]
  shipwatch rules [--format table|json|markdown]
  shipwatch report --framework cis-k8s|cis-eks|nsa-cisa|nist-800-190|pci-dss|hipaa|gdpr [paths...]
                   [--scope all|repo|image|cluster] [--results FILE]... [--format table|json|markdown|csv] [--output FILE]
  shipwatch serve [--port 8080] [--host 127.0.0.1] [--data-dir .shipwatch]

Exit codes: 0 fine, 1 findings at or above --fail-on (default high), 2 usage or input error.
`;

export type FailOn = Severity | 'none';
export const FORMATS = ['table', 'json', 'sarif', 'markdown', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await scanCommand(rest, io);
      case 'rules':
        return rulesCommand(rest, io);
      case 'audit':
        return await auditCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'serve':
        // Loaded only for this command: the server pulls in the AWS SDK and the forge clients.
        return await (await import('./serve.ts')).serveCommand(rest);
      case 'image':
        // Loaded only for this command: the image reader, its analyzers and the vulnerability matcher.
        return await (await import('./image.ts')).imageCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(HELP);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || (e as Error).name === 'PolicyError') {
      io.stderr.write(`shipwatch: ${(e as Error).message}\n`);
      if (e instanceof UsageError) io.stderr.write(`Run "shipwatch help" for usage.\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** Reads inputs, scans and keeps everything the commands print. */
export async function runScan(positionals: string[], values: { config?: string; policies?: string; quiet?: boolean }, io: Io): Promise<{ result: ScanResult; config: ShipwatchConfig; files: SourceFile[] }> {
  const showProgress = !values.quiet && io.stderr.isTTY === true;
  const progress = showProgress ? (n: number) => n % 200 === 0 && io.stderr.write(`\rreading files: ${n}`) : undefined;
  const inputs = await loadInputs(positionals, { config: values.config, progress });
  if (showProgress) io.stderr.write(`\rscanning ${inputs.files.length} files...\x1b[K`);
  const policies = values.policies ? loadPolicies(values.policies) : undefined;
  const result = scanSources(inputs.files, { config: inputs.config, policies });
  if (showProgress) io.stderr.write('\r\x1b[K');
  result.notices.unshift(...inputs.notices);
  for (const s of policies?.skipped ?? []) result.notices.push({ file: s.file, message: `policy ${s.name} skipped: ${s.reason}` });
  const readable = inputs.files.filter((f) => f.readError === undefined).length;
  if (readable === 0 && inputs.files.length > 0) throw new UsageError(`no input could be read (${result.errors.map((e) => `${e.file}: ${e.message}`).join('; ')})`);
  return { result, config: inputs.config, files: inputs.files };
}

async function scanCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    policies: { type: 'string' },
    'fail-on': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  const format: Format = oneOf(values.format, FORMATS, '--format', 'table');
  const failOnFlag = values['fail-on'] === undefined ? undefined : oneOf(values['fail-on'], [...SEVERITIES, 'none'] as const, '--fail-on', 'high');
  const { result, config } = await runScan(positionals, values, io);
  const failOn: FailOn = failOnFlag ?? config.failOn ?? 'high';

  const color = !values.output && io.stdout.isTTY === true && !process.env.NO_COLOR;
  const rendered = render(result, format, color, values.quiet === true);
  if (values.output) writeFileSync(values.output, rendered);
  else if (rendered) io.stdout.write(rendered);
  return failing(result.findings, failOn).length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export function failing(findings: readonly Finding[], failOn: FailOn): Finding[] {
  return failOn === 'none' ? [] : findings.filter((f) => !f.suppressed && atOrAbove(f.severity, failOn));
}

export function render(result: ScanResult, format: Format, color: boolean, quiet: boolean): string {
  switch (format) {
    case 'json':
      return formatJson(result, { pretty: color });
    case 'sarif':
      return formatSarif(result);
    case 'markdown':
      return formatMarkdown(result);
    case 'codequality':
      return formatCodeQuality(result);
    case 'table':
      if (quiet && result.findings.every((f) => f.suppressed) && result.errors.length === 0) return '';
      return formatTable(quiet ? { ...result, notices: [] } : result, { color });
  }
}

function rulesCommand(args: string[], io: Io): number {
  const { values } = parse(args, { format: { type: 'string', short: 'f' } });
  const format = oneOf(values.format, ['table', 'json', 'markdown'] as const, '--format', 'table');
  const rules = allRules();
  if (format === 'json') io.stdout.write(JSON.stringify(rules.map(({ id, engine, severity, title, description, remediation, compliance, offByDefault }) => ({ id, engine, severity, title, description, remediation, compliance, offByDefault: offByDefault ?? false })), null, 2) + '\n');
  else if (format === 'markdown') io.stdout.write(formatRulesMarkdown(rules));
  else io.stdout.write(formatRulesTable(rules));
  return EXIT_OK;
}
