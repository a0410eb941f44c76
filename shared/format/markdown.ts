import { SEVERITIES, severityRank, type Finding, type Severity } from '../findings/finding.ts';
import type { RuleMeta } from '../rules/registry.ts';
import type { ScanResult } from '../scan/result.ts';
import { describeResource, sortRules, targetOf } from './table.ts';

// `shipwatch rules --format table` lives with the other terminal tables; re-exported for the commands that print rules.
export { formatRulesTable } from './table.ts';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ZERO_WIDTH_JOINER = '\u200d';

/**
 * Makes untrusted text (paths, resource names, messages from scanned files) inert in GitHub/GitLab
 * Markdown: no HTML, no links or images, no emphasis or headings, no table breaks, no @-mentions
 * that would notify people. The result is a single line, safe inside a table cell.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\t' ? ' ' : ''))
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c])
    .replace(/[\\`*_{}[\]()#+\-.!|~$]/g, (c) => `\\${c}`)
    .replace(/@/g, `@${ZERO_WIDTH_JOINER}`);
}

export interface MarkdownOptions {
  /** Heading of the report. */
  title?: string;
  /** Lists at most this many findings (most severe first); PR comments have a size limit. */
  maxFindings?: number;
}

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/** A report for humans, shaped for a pull-request comment: summary by severity, then the findings. */
export function formatMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const out: string[] = [`## ${escapeMarkdown(options.title ?? 'Shipwatch scan')}`, ''];
  const active = bySeverity(result.findings.filter((f) => !f.suppressed));
  const suppressed = bySeverity(result.findings.filter((f) => f.suppressed));

  out.push('| Severity | Findings |', '| --- | ---: |');
  for (const s of SEVERITIES) out.push(`| ${SEVERITY_LABELS[s]} | ${result.summary[s]} |`);
  if (suppressed.length > 0) out.push(`| Suppressed | ${suppressed.length} |`);
  out.push('');

  if (active.length === 0) out.push('No findings.', '');
  else {
    const shown = options.maxFindings !== undefined ? active.slice(0, Math.max(0, options.maxFindings)) : active;
    out.push('### Findings', '', '| Severity | Rule | Location | Resource | Message |', '| --- | --- | --- | --- | --- |');
    for (const f of shown) out.push(row([...findingCells(f), escapeMarkdown(f.message)]));
    out.push('');
    if (shown.length < active.length) out.push(`…and ${active.length - shown.length} more. The full list is in the JSON or SARIF output.`, '');
  }

  if (suppressed.length > 0) {
    out.push(`<details><summary>${suppressed.length} suppressed</summary>`, '');
    out.push('| Severity | Rule | Location | Resource | Suppressed by | Reason |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of suppressed) {
      const s = f.suppression;
      const by = s ? s.source + (s.expires ? ` until ${s.expires}` : '') : '';
      out.push(row([...findingCells(f), escapeMarkdown(by), escapeMarkdown(s?.reason ?? '')]));
    }
    out.push('', '</details>', '');
  }

  if (result.errors.length > 0) {
    out.push('### Errors', '');
    for (const e of result.errors) out.push(`- ${escapeMarkdown(e.file + (e.line !== null ? `:${e.line}` : ''))}: ${escapeMarkdown(e.message)}`);
    out.push('');
  }
  if (result.notices.length > 0) {
    out.push('### Notices', '');
    for (const n of result.notices) out.push(`- ${n.file !== null ? `${escapeMarkdown(n.file)}: ` : ''}${escapeMarkdown(n.message)}`);
    out.push('');
  }
  return out.join('\n');
}

/** `shipwatch rules --format markdown`: one row per rule, sorted by id. */
export function formatRulesMarkdown(rules: readonly RuleMeta[]): string {
  const out = ['| ID | Severity | Title | Compliance |', '| --- | --- | --- | --- |'];
  for (const r of sortRules(rules)) {
    out.push(row([escapeMarkdown(r.id), SEVERITY_LABELS[r.severity], escapeMarkdown(r.title + (r.offByDefault ? ' (off by default)' : '')), escapeMarkdown(r.compliance.join(', '))]));
  }
  return out.join('\n') + '\n';
}

/** A table row from cells that are already escaped. */
export function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c || ' ').join(' | ')} |`;
}

/** Most severe first, so a truncated list keeps what matters; file order within a severity. */
function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
}

/** Severity, rule, location and resource cells of a finding, escaped. */
export function findingCells(f: Finding): string[] {
  const line = f.location?.line;
  const about = [f.resource ? describeResource(f.resource) : null, f.container !== null ? `container ${f.container}` : null];
  return [
    SEVERITY_LABELS[f.severity],
    `${escapeMarkdown(f.ruleId)} ${escapeMarkdown(f.title)}`,
    escapeMarkdown(targetOf(f) + (line != null ? `:${line}` : '')),
    escapeMarkdown(about.filter((p) => p !== null).join(', ')),
  ];
}
