import type { Finding } from '../findings/finding.ts';
import { findingOutput } from '../format/json.ts';
import { escapeMarkdown, findingCells, row } from '../format/markdown.ts';
import { painter, SEVERITY_STYLES, terminalSafe, type Style } from '../format/terminal.ts';
import { describeResource, targetOf } from '../format/table.ts';
import type { StoredFinding } from '../pipeline/model.ts';
import { CONTROL_STATUSES, type ComplianceReport, type ControlResult, type ControlStatus } from './model.ts';

/** Version of the report's JSON shape (`--format json`, `GET /compliance/{framework}`). */
export const COMPLIANCE_SCHEMA_VERSION = 2;

const STATUS_LABELS: Record<ControlStatus, string> = { fail: 'FAIL', accepted: 'ACCEPTED', pass: 'PASS', 'not-assessed': 'NOT ASSESSED' };
export const STATUS_WORDS: Record<ControlStatus, string> = { fail: 'fail', accepted: 'accepted risk', pass: 'pass', 'not-assessed': 'not assessed' };
const STATUS_STYLES: Record<ControlStatus, Style[]> = { fail: ['bold', 'red'], accepted: ['yellow'], pass: ['green'], 'not-assessed': ['gray'] };

/** "CIS Kubernetes Benchmark v1.10 (repo): 3 fail, 1 accepted risk, 20 pass, 10 not assessed". */
export function complianceHeadline(report: ComplianceReport): string {
  const counts = CONTROL_STATUSES.map((s) => `${report.summary[s]} ${STATUS_WORDS[s]}`).join(', ');
  const scope = report.scope === 'all' ? '' : ` (${report.scope})`;
  return `${report.framework.name} ${report.framework.version}${scope}: ${counts}`;
}

/** Terminal report: one line per control, the findings behind fails and accepted risks under it. */
export function formatComplianceTable(report: ComplianceReport, options: { color: boolean }): string {
  const paint = painter(options.color);
  const statusWidth = Math.max(...Object.values(STATUS_LABELS).map((l) => l.length));
  const idWidth = Math.max(0, ...report.controls.map((c) => c.id.length));
  const indent = ' '.repeat(statusWidth + 2);
  const out = [paint(complianceHeadline(report), 'bold'), paint(`mapping ${report.framework.mappingVersion}, generated ${report.generatedAt}`, 'gray'), ''];
  for (const c of report.controls) {
    const status = paint(STATUS_LABELS[c.status].padEnd(statusWidth), ...STATUS_STYLES[c.status]);
    out.push(`${status}  ${c.id.padEnd(idWidth)}  ${c.title}  ${paint(`(${evidenceNote(c)})`, 'gray')}`);
    for (const f of [...c.findings, ...c.accepted]) {
      const line = `${indent}${findingLine(f, paint)}`;
      out.push(f.suppressed ? paint(line, 'dim') : line);
    }
  }
  return out.join('\n') + '\n';
}

export interface ComplianceOutputOptions {
  /** Lists at most this many findings (and accepted risks) per control; the counts stay complete. */
  maxFindingsPerControl?: number;
}

/** The report as JSON data (the CLI's `--format json` and the API's body). */
export function complianceOutput(report: ComplianceReport, options: ComplianceOutputOptions = {}) {
  const cap = <T>(list: T[]) => (options.maxFindingsPerControl === undefined ? list : list.slice(0, Math.max(0, options.maxFindingsPerControl)));
  return {
    schemaVersion: COMPLIANCE_SCHEMA_VERSION,
    framework: { ...report.framework },
    scope: report.scope,
    generatedAt: report.generatedAt,
    summary: { ...report.summary },
    controls: report.controls.map((c) => ({
      id: c.id,
      title: c.title,
      automation: c.automation,
      status: c.status,
      rules: [...c.rules],
      reason: c.reason,
      evidenceAt: c.evidenceAt,
      findingCount: c.findings.length,
      acceptedCount: c.accepted.length,
      findings: cap(c.findings).map(findingEvidence),
      accepted: cap(c.accepted).map(findingEvidence),
    })),
  };
}

export function formatComplianceJson(report: ComplianceReport): string {
  return JSON.stringify(complianceOutput(report), null, 2) + '\n';
}

export function formatComplianceMarkdown(report: ComplianceReport): string {
  const { framework } = report;
  const out = [`## ${escapeMarkdown(`${framework.name} ${framework.version}`)}`, ''];
  out.push(`Scope: ${report.scope}. Mapping ${escapeMarkdown(framework.mappingVersion)}, generated ${escapeMarkdown(report.generatedAt)}.`, '');
  out.push('| Status | Controls |', '| --- | ---: |');
  for (const s of CONTROL_STATUSES) out.push(`| ${capitalize(STATUS_WORDS[s])} | ${report.summary[s]} |`);
  out.push('', '| Control | Title | Status | Check | Rules | Findings | Evidence from |', '| --- | --- | --- | --- | --- | ---: | --- |');
  for (const c of report.controls) {
    const rules = c.status === 'not-assessed' ? (c.reason ?? '') : c.rules.join(', ');
    const count = c.findings.length + c.accepted.length;
    out.push(row([escapeMarkdown(c.id), escapeMarkdown(c.title), capitalize(STATUS_WORDS[c.status]), c.automation, escapeMarkdown(rules), String(count), escapeMarkdown(c.evidenceAt ?? '')]));
  }
  out.push('');

  const failing = report.controls.filter((c) => c.status === 'fail');
  if (failing.length > 0) {
    out.push('### Failing controls', '');
    for (const c of failing) {
      out.push(`#### ${escapeMarkdown(`${c.id} ${c.title}`)}`, '', '| Severity | Rule | Location | Resource | Message |', '| --- | --- | --- | --- | --- |');
      for (const f of c.findings) out.push(row([...findingCells(f), escapeMarkdown(f.message)]));
      out.push('');
    }
  }
  const accepted = report.controls.flatMap((c) => c.accepted.map((f) => ({ control: c, finding: f })));
  if (accepted.length > 0) {
    out.push('### Accepted risks', '', '| Control | Severity | Rule | Location | Resource | Reason |', '| --- | --- | --- | --- | --- | --- |');
    for (const { control, finding } of accepted) out.push(row([escapeMarkdown(control.id), ...findingCells(finding), escapeMarkdown(acceptance(finding))]));
    out.push('');
  }
  return out.join('\n');
}

const CSV_COLUMNS = [
  'framework',
  'framework_version',
  'mapping_version',
  'scope',
  'control',
  'title',
  'automation',
  'status',
  'evidence_at',
  'rules',
  'reason',
  'finding',
  'rule',
  'severity',
  'target',
  'resource',
  'message',
  'accepted_reason',
  'fingerprint',
] as const;

/**
 * CSV for spreadsheets: one row per control and finding behind it (failing or accepted), one row
 * for a control with none. Cells are quoted as RFC 4180 asks and text that a spreadsheet would run
 * as a formula is defused.
 */
export function formatComplianceCsv(report: ComplianceReport): string {
  const { framework } = report;
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of report.controls) {
    const control = [framework.id, framework.version, framework.mappingVersion, report.scope, c.id, c.title, c.automation, STATUS_WORDS[c.status], c.evidenceAt ?? '', c.rules.join(' '), c.reason ?? ''];
    const findings: [string, Finding][] = [...c.findings.map((f): [string, Finding] => ['fail', f]), ...c.accepted.map((f): [string, Finding] => ['accepted', f])];
    if (findings.length === 0) lines.push(csvRow([...control, '', '', '', '', '', '', '', '']));
    for (const [kind, f] of findings) {
      const where = whereOf(f);
      const resource = [f.resource ? describeResource(f.resource) : null, f.container !== null ? `container ${f.container}` : null].filter((p) => p !== null).join(', ');
      lines.push(csvRow([...control, kind, f.ruleId, f.severity, where, resource, f.message, f.suppressed ? acceptance(f) : '', f.fingerprint]));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

function csvRow(cells: string[]): string {
  return cells.map(csvCell).join(',');
}

function csvCell(value: string): string {
  // A leading =, +, - or @ (or a tab/CR that hides one) makes spreadsheets evaluate the cell.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A finding with what the store knows about it (scope, times, who accepted it) when it came from the store. */
function findingEvidence(f: Finding) {
  const out = findingOutput(f);
  if (!isStored(f)) return out;
  return {
    ...out,
    scope: { ...f.scope },
    status: f.status,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    suppressedBy: f.suppressedBy,
    suppressedUntil: f.suppressedUntil,
    url: f.url,
  };
}

function isStored(f: Finding): f is StoredFinding {
  return typeof (f as Partial<StoredFinding>).scopeKey === 'string';
}

/** "legacy chart (config until 2027-03-31, by alice)": why a risk is accepted and by whom. */
function acceptance(f: Finding): string {
  const s = f.suppression;
  if (!s) return '';
  const by = isStored(f) && f.suppressedBy && f.suppressedBy !== s.source ? `, by ${f.suppressedBy}` : '';
  return `${s.reason ?? 'no reason given'} (${s.source}${s.expires ? ` until ${s.expires}` : ''}${by})`;
}

/** What stands behind a status: the rules (and whether they cover the whole control), or why nothing does. */
function evidenceNote(c: ControlResult): string {
  if (c.status === 'not-assessed') return c.reason ?? 'not assessed';
  return `${c.automation === 'partial' ? 'partial check: ' : ''}${c.rules.join(', ')}${c.evidenceAt ? `; evidence ${c.evidenceAt}` : ''}`;
}

/** File and line, image or cluster; stored findings name their repository (and ref) first. */
function whereOf(f: Finding): string {
  const where = targetOf(f) + (f.location?.line != null ? `:${f.location.line}` : '');
  return isStored(f) && f.location ? `${f.scopeKey.replace(/^repo:/, '')} ${where}` : where;
}

function findingLine(f: Finding, paint: ReturnType<typeof painter>): string {
  const where = terminalSafe(whereOf(f));
  const about = [f.resource ? describeResource(f.resource) : null, f.container !== null ? `container ${f.container}` : null, f.message]
    .filter((p) => p !== null)
    .map(terminalSafe)
    .join(' · ');
  const severity = f.suppressed ? f.severity : paint(f.severity, ...SEVERITY_STYLES[f.severity]);
  const suppressed = f.suppression ? `  [accepted by ${f.suppression.source}${f.suppression.reason ? `: ${terminalSafe(f.suppression.reason)}` : ''}]` : '';
  return `${where}  ${severity}  ${terminalSafe(f.ruleId)}  ${about}${suppressed}`;
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
