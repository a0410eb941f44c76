import { readFileSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { SEVERITIES, summarize, type Finding, type FindingSource } from '../findings/finding.ts';
import { FRAMEWORKS } from '../compliance/framework.ts';
import { formatComplianceCsv, formatComplianceJson, formatComplianceMarkdown, formatComplianceTable } from '../compliance/format.ts';
import { complianceReport, scannedKindsOf, type ComplianceReport } from '../compliance/report.ts';
import { REPORT_SCOPES } from '../compliance/report-scope.ts';
import type { ScanResult } from '../scan/result.ts';
import { oneOf, parse, runScan, type Io } from './main.ts';
import { EXIT_OK, UsageError } from './usage.ts';

const REPORT_FORMATS = ['table', 'json', 'markdown', 'csv'] as const;

/**
 * `shipwatch report --framework F [paths...] [--scope S] [--results FILE]...`: per control pass,
 * fail, accepted risk or not assessed, from a scan of the paths and from saved results of image and
 * audit scans (`--format json` output of `shipwatch image` / `shipwatch audit`).
 */
export async function reportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    framework: { type: 'string' },
    scope: { type: 'string' },
    results: { type: 'string', multiple: true },
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    policies: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (!values.framework) throw new UsageError(`--framework is required (${FRAMEWORKS.map((f) => f.id).join(', ')})`);
  const framework = oneOf(values.framework, FRAMEWORKS.map((f) => f.id), '--framework', FRAMEWORKS[0].id);
  const format = oneOf(values.format, REPORT_FORMATS, '--format', 'table');
  const scope = oneOf(values.scope, REPORT_SCOPES, '--scope', 'all');
  const saved = (values.results ?? []).map(readResults);

  // Saved results alone are a complete input; otherwise the paths (default: the current folder) are scanned.
  const scanFiles = positionals.length > 0 || saved.length === 0;
  const scanned = scanFiles ? await runScan(positionals, values, io) : null;
  const findings: Finding[] = [...(scanned?.result.findings ?? []), ...saved.flat()];
  const result: ScanResult = { schemaVersion: 1, findings, errors: scanned?.result.errors ?? [], notices: scanned?.result.notices ?? [], summary: summarize(findings) };
  const resultSources = [...new Set(saved.flat().map((f) => f.source))];
  const report = complianceReport(framework, result, scanned ? scannedKindsOf(scanned.files) : [], { config: scanned?.config, scope, resultSources });

  const rendered = render(report, format, !values.output && io.stdout.isTTY === true && !process.env.NO_COLOR);
  if (values.output) writeFileSync(values.output, rendered);
  else io.stdout.write(rendered);
  return EXIT_OK;
}

function render(report: ComplianceReport, format: (typeof REPORT_FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'json':
      return formatComplianceJson(report);
    case 'markdown':
      return formatComplianceMarkdown(report);
    case 'csv':
      return formatComplianceCsv(report);
    case 'table':
      return formatComplianceTable(report, { color });
  }
}

const SOURCES = ['iac', 'image', 'audit', 'registry', 'posture'] as const satisfies readonly FindingSource[];
const nullableText = z.string().nullable().optional();

/** A finding of the scan output contract, as much of it as a report needs (the rest is kept as given). */
const savedFinding = z.looseObject({
  ruleId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  message: z.string(),
  remediation: z.string().optional(),
  fingerprint: z.string(),
  source: z.enum(SOURCES),
  location: z.object({ file: z.string(), line: z.number().nullable() }).nullable().optional(),
  resource: z.object({ apiVersion: nullableText, kind: nullableText, namespace: nullableText, name: nullableText }).nullable().optional(),
  container: z.string().nullable().optional(),
  compliance: z.array(z.string()).optional(),
  suppressed: z.boolean(),
  suppression: z.object({ source: z.enum(['annotation', 'comment', 'config', 'api']), reason: z.string().nullable(), expires: z.string().nullable() }).nullable().optional(),
});
const savedResults = z.looseObject({ schemaVersion: z.literal(1), findings: z.array(savedFinding) });

/** The findings of a saved `--format json` scan output. */
function readResults(path: string): Finding[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read results ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON (expected the --format json output of a shipwatch scan)`);
  }
  const parsed = savedResults.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path} is not a shipwatch scan output: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data.findings.map((f) => ({
    ...f,
    remediation: f.remediation ?? '',
    location: f.location ?? null,
    resource: f.resource ? { apiVersion: f.resource.apiVersion ?? null, kind: f.resource.kind ?? null, namespace: f.resource.namespace ?? null, name: f.resource.name ?? null } : null,
    container: f.container ?? null,
    compliance: f.compliance ?? [],
    suppression: f.suppression ?? null,
  }));
}
