import { atOrAbove, severityRank, type Finding, type Severity } from '../findings/finding.ts';
import { escapeMarkdown } from '../format/markdown.ts';
import type { ScanError } from '../scan/result.ts';
import type { Annotation, ChangedFile, CommitStatusReport } from '../scm/port.ts';

/** Hidden marker that identifies the one comment Shipwatch owns on a pull/merge request. */
export const COMMENT_MARKER = '<!-- shipwatch:pr-comment -->';
/** GitHub accepts at most 50 annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;
const MAX_LISTED = 100;

export interface PrFeedbackInput {
  /** Findings of this scan that the base branch does not have. */
  introduced: Finding[];
  /** Findings of this scan that already exist on the base branch. */
  existing: Finding[];
  /** Findings an earlier push of this PR had and this one no longer has. */
  resolved: Finding[];
  errors: ScanError[];
  failOn: Severity | 'none';
  fileUrl: (path: string, line: number | null) => string;
  commit: string;
}

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };

/** The PR comment: new findings first, then fixed ones, then (collapsed) the ones the base branch already had. */
export function prComment(input: PrFeedbackInput): string {
  const active = input.introduced.filter((f) => !f.suppressed);
  const blocking = active.filter((f) => input.failOn !== 'none' && atOrAbove(f.severity, input.failOn));
  const out = [COMMENT_MARKER, '### Shipwatch', ''];
  if (active.length === 0) out.push(`No new findings in this change (commit \`${escapeMarkdown(input.commit.slice(0, 12))}\`).`);
  else {
    out.push(
      `**${active.length} new finding${active.length === 1 ? '' : 's'}** in this change` +
        (blocking.length ? `, ${blocking.length} at or above \`${input.failOn}\`.` : '.'),
      '',
      ...findingTable(active, input.fileUrl),
    );
  }
  if (input.resolved.length) {
    out.push('', `**Fixed since the last push (${input.resolved.length})**`, '', ...findingTable(input.resolved, null));
  }
  const suppressed = input.introduced.filter((f) => f.suppressed);
  if (suppressed.length) {
    out.push('', '<details><summary>Suppressed in this change (' + suppressed.length + ')</summary>', '', ...suppressedTable(suppressed), '', '</details>');
  }
  if (input.existing.length) {
    out.push('', `<details><summary>Already on the base branch (${input.existing.length})</summary>`, '', ...findingTable(input.existing, input.fileUrl), '', '</details>');
  }
  if (input.errors.length) {
    out.push('', `<details><summary>Files that could not be scanned (${input.errors.length})</summary>`, '');
    for (const e of input.errors.slice(0, MAX_LISTED)) out.push(`- ${escapeMarkdown(e.file)}${e.line ? `:${e.line}` : ''}: ${escapeMarkdown(e.message)}`);
    out.push('', '</details>');
  }
  return out.join('\n') + '\n';
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.ruleId.localeCompare(b.ruleId));
}

function findingTable(findings: Finding[], fileUrl: PrFeedbackInput['fileUrl'] | null): string[] {
  const rows = ['| Severity | Rule | Where | Finding |', '|---|---|---|---|'];
  for (const f of sorted(findings).slice(0, MAX_LISTED)) {
    const where = f.location ? `${escapeMarkdown(f.location.file)}${f.location.line ? `:${f.location.line}` : ''}` : '';
    const link = fileUrl && f.location ? `[${where}](${encodeURI(fileUrl(f.location.file, f.location.line))})` : where;
    const resource = f.resource ? ` (${escapeMarkdown(`${f.resource.kind ?? ''}/${f.resource.name ?? ''}`)})` : '';
    rows.push(`| ${ICON[f.severity]} ${f.severity} | ${escapeMarkdown(f.ruleId)} | ${link} | ${escapeMarkdown(f.title)}${resource}: ${escapeMarkdown(f.message)} |`);
  }
  if (findings.length > MAX_LISTED) rows.push(`| | | | …and ${findings.length - MAX_LISTED} more |`);
  return rows;
}

function suppressedTable(findings: Finding[]): string[] {
  const rows = ['| Rule | Where | Reason |', '|---|---|---|'];
  for (const f of sorted(findings).slice(0, MAX_LISTED)) {
    rows.push(`| ${escapeMarkdown(f.ruleId)} | ${escapeMarkdown(f.location?.file ?? '')} | ${escapeMarkdown(f.suppression?.reason ?? f.suppression?.source ?? '')} |`);
  }
  return rows;
}

/** Check-run / commit-status verdict: fails when the change introduces a finding at or above fail-on. */
export function statusReport(input: PrFeedbackInput, changed: ChangedFile[], detailsUrl?: string): CommitStatusReport {
  const active = input.introduced.filter((f) => !f.suppressed);
  const blocking = active.filter((f) => input.failOn !== 'none' && atOrAbove(f.severity, input.failOn));
  const changedLines = new Map(changed.map((c) => [c.path, c.changedLines === null ? null : new Set(c.changedLines)]));
  const annotations: Annotation[] = [];
  for (const f of sorted(active)) {
    if (!f.location?.line || !changedLines.has(f.location.file)) continue;
    const lines = changedLines.get(f.location.file);
    if (lines && !lines.has(f.location.line)) continue;
    annotations.push({
      path: f.location.file,
      line: f.location.line,
      level: f.severity === 'critical' || f.severity === 'high' ? 'failure' : f.severity === 'medium' ? 'warning' : 'notice',
      title: `${f.ruleId} ${f.title}`,
      message: `${f.message}\n\n${f.remediation}`,
    });
  }
  return {
    conclusion: blocking.length ? 'failure' : 'success',
    title: blocking.length
      ? `${blocking.length} new finding${blocking.length === 1 ? '' : 's'} at or above ${input.failOn}`
      : active.length
        ? `${active.length} new finding${active.length === 1 ? '' : 's'} below ${input.failOn}`
        : 'No new findings',
    summary: prComment(input).replace(COMMENT_MARKER + '\n', ''),
    annotations,
    detailsUrl,
  };
}
