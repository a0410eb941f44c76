import { FRAMEWORKS } from '../compliance/framework.ts';
import { formatComplianceJson, formatComplianceMarkdown, formatComplianceTable } from '../compliance/format.ts';
import { complianceReport, scannedKindsOf } from '../compliance/report.ts';
import { oneOf, parse, runScan, type Io } from './main.ts';
import { EXIT_OK, UsageError } from './usage.ts';

/** `shipwatch report --framework F [paths...]`: per control pass / fail / accepted / not applicable. */
export async function reportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    framework: { type: 'string' },
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    policies: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (!values.framework) throw new UsageError(`--framework is required (${FRAMEWORKS.map((f) => f.id).join(', ')})`);
  const framework = oneOf(values.framework, FRAMEWORKS.map((f) => f.id), '--framework', FRAMEWORKS[0].id);
  const format = oneOf(values.format, ['table', 'json', 'markdown'] as const, '--format', 'table');
  const { result, config, files } = await runScan(positionals, values, io);
  const report = complianceReport(framework, result, scannedKindsOf(files), { config });
  const rendered =
    format === 'json' ? formatComplianceJson(report) : format === 'markdown' ? formatComplianceMarkdown(report) : formatComplianceTable(report, { color: !values.output && io.stdout.isTTY === true && !process.env.NO_COLOR });
  if (values.output) (await import('node:fs')).writeFileSync(values.output, rendered);
  else io.stdout.write(rendered);
  return EXIT_OK;
}
