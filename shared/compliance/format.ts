import type { Finding } from '../findings/finding.ts';
import { findingOutput } from '../format/json.ts';
import { escapeMarkdown, findingCells, row } from '../format/markdown.ts';
import { painter, SEVERITY_STYLES, terminalSafe, type Style } from '../format/terminal.ts';
import { describeResource, targetOf } from '../format/table.ts';
import { CONTROL_STATUSES, type ComplianceReport, type ControlResult, type ControlStatus } from './report.ts';

const STATUS_LABELS: Record<ControlStatus, string> = { fail: 'FAIL', accepted: 'ACCEPTED', pass: 'PASS', 'not-applicable': 'N/A' };
const STATUS_WORDS: Record<ControlStatus, string> = { fail: 'fail', accepted: 'accepted', pass: 'pass', 'not-applicable': 'not applicable' };
const STATUS_STYLES: Record<ControlStatus, Style[]> = { fail: ['bold', 'red'], accepted: ['yellow'], pass: ['green'], 'not-applicable': ['gray'] };

/** "CIS Kubernetes Benchmark 1.10: 3 fail, 1 accepted, 20 pass, 10 not applicable". */
export function complianceHeadline(report: ComplianceReport): string {
  const counts = CONTROL_STATUSES.map((s) => `${report.summary[s]} ${STATUS_WORDS[s]}`).join(', ');
  return `${report.framework.name} ${report.framework.version}: ${counts}`;
}

/** Terminal report: one line per control, the findings behind fails and accepted risks under it. */
export function formatComplianceTable(report: ComplianceReport, options: { color: boolean }): string {
  const paint = painter(options.color);
  const statusWidth = Math.max(...Object.values(STATUS_LABELS).map((l) => l.length));
  const idWidth = Math.max(0, ...report.controls.map((c) => c.id.length));
  const indent = ' '.repeat(statusWidth + 2);
  const out = [paint(complianceHeadline(report), 'bold'), ''];
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

export function formatComplianceJson(report: ComplianceReport): string {
  const output = {
    schemaVersion: 1,
    framework: report.framework,
    summary: report.summary,
    controls: report.controls.map((c) => ({
      id: c.id,
      title: c.title,
      automation: c.automation,
      status: c.status,
      rules: c.rules,
      reason: c.reason,
      findings: c.findings.map(findingOutput),
      accepted: c.accepted.map(findingOutput),
    })),
  };
  return JSON.stringify(output, null, 2) + '\n';
}

export function formatComplianceMarkdown(report: ComplianceReport): string {
  const { framework } = report;
  const out = [`## ${escapeMarkdown(`${framework.name} ${framework.version}`)}`, '', '| Status | Controls |', '| --- | ---: |'];
  for (const s of CONTROL_STATUSES) out.push(`| ${capitalize(STATUS_WORDS[s])} | ${report.summary[s]} |`);
  out.push('', '| Control | Title | Status | Check | Rules | Findings |', '| --- | --- | --- | --- | --- | ---: |');
  for (const c of report.controls) {
    const rules = c.status === 'not-applicable' ? (c.reason ?? '') : c.rules.join(', ');
    const count = c.findings.length + c.accepted.length;
    out.push(row([escapeMarkdown(c.id), escapeMarkdown(c.title), capitalize(STATUS_WORDS[c.status]), c.automation, escapeMarkdown(rules), String(count)]));
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
    for (const { control, finding } of accepted) {
      const s = finding.suppression;
      const reason = s ? `${s.reason ?? 'no reason given'} (${s.source}${s.expires ? ` until ${s.expires}` : ''})` : '';
      out.push(row([escapeMarkdown(control.id), ...findingCells(finding), escapeMarkdown(reason)]));
    }
    out.push('');
  }
  return out.join('\n');
}

/** What stands behind a status: the rules (and whether they cover the whole control), or why nothing does. */
function evidenceNote(c: ControlResult): string {
  if (c.status === 'not-applicable') return c.reason ?? 'not applicable';
  return `${c.automation === 'partial' ? 'partial check: ' : ''}${c.rules.join(', ')}`;
}

function findingLine(f: Finding, paint: ReturnType<typeof painter>): string {
  const line = f.location?.line;
  const where = terminalSafe(targetOf(f) + (line != null ? `:${line}` : ''));
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
