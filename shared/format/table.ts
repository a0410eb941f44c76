import { SEVERITIES, type Finding } from '../findings/finding.ts';
import type { RuleMeta } from '../rules/registry.ts';
import type { ScanResult } from '../scan/result.ts';
import { painter, SEVERITY_STYLES, terminalSafe } from './terminal.ts';

export interface TableOptions {
  /** ANSI colours; off, the output holds no escape codes at all. */
  color: boolean;
}

/** The terminal report: findings grouped by file, then errors, notices and a one-line summary. */
export function formatTable(result: ScanResult, options: TableOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  const lineWidth = Math.max(0, ...result.findings.map((f) => lineLabel(f).length));
  const ruleWidth = Math.max(0, ...result.findings.map((f) => terminalSafe(f.ruleId).length));
  const severityWidth = Math.max(...SEVERITIES.map((s) => s.length));

  for (const [target, findings] of groupByTarget(result.findings)) {
    out.push(paint(terminalSafe(target), 'bold'));
    for (const f of findings) {
      const severity = f.severity.padEnd(severityWidth);
      const details = [
        terminalSafe(f.title),
        ...(f.resource ? [terminalSafe(describeResource(f.resource))] : []),
        ...(f.container !== null ? [`container ${terminalSafe(f.container)}`] : []),
        terminalSafe(f.message),
      ];
      const columns = [
        lineLabel(f).padStart(lineWidth),
        f.suppressed ? severity : paint(severity, ...SEVERITY_STYLES[f.severity]),
        terminalSafe(f.ruleId).padEnd(ruleWidth),
        details.join(' · '),
      ];
      const line = `  ${columns.join('  ')}`;
      out.push(f.suppressed ? paint(`${line}  ${suppressionLabel(f)}`, 'dim') : line);
    }
    out.push('');
  }

  if (result.errors.length > 0) {
    out.push(paint('Errors', 'bold', 'red'));
    for (const e of result.errors) out.push(`  ${terminalSafe(e.file)}${e.line !== null ? `:${e.line}` : ''}  ${terminalSafe(e.message)}`);
    out.push('');
  }
  if (result.notices.length > 0) {
    out.push(paint('Notices', 'bold'));
    for (const n of result.notices) out.push(`  ${n.file !== null ? `${terminalSafe(n.file)}  ` : ''}${terminalSafe(n.message)}`);
    out.push('');
  }
  out.push(summaryLine(result, options.color));
  return out.join('\n') + '\n';
}

/** "3 critical, 1 high, 0 medium, 0 low, 0 info (2 suppressed)": unsuppressed counts, as the exit code sees them. */
export function summaryLine(result: Pick<ScanResult, 'findings' | 'summary'>, color = false): string {
  const paint = painter(color);
  const counts = SEVERITIES.map((s) => {
    const text = `${result.summary[s]} ${s}`;
    return result.summary[s] > 0 ? paint(text, ...SEVERITY_STYLES[s]) : text;
  });
  const suppressed = result.findings.filter((f) => f.suppressed).length;
  return counts.join(', ') + (suppressed > 0 ? ` (${suppressed} suppressed)` : '');
}

/** `shipwatch rules`: one aligned row per rule, sorted by id. */
export function formatRulesTable(rules: readonly RuleMeta[]): string {
  const rows = sortRules(rules).map((r) => [r.id, r.severity, r.title + (r.offByDefault ? ' (off by default)' : ''), r.compliance.join(', ')]);
  const header = ['ID', 'SEVERITY', 'TITLE', 'COMPLIANCE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const render = (row: string[]) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  ').trimEnd();
  return [header, ...rows].map(render).join('\n') + '\n';
}

export function sortRules(rules: readonly RuleMeta[]): RuleMeta[] {
  return [...rules].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** "Deployment/web -n prod", the way kubectl users read it. */
export function describeResource(r: NonNullable<Finding['resource']>): string {
  const name = `${r.kind ?? '?'}/${r.name ?? '?'}`;
  return r.namespace !== null ? `${name} -n ${r.namespace}` : name;
}

/** What a finding is about when it has no file: the image or the cluster. */
export function targetOf(f: Finding): string {
  if (f.location) return f.location.file;
  const image = f.image;
  if (image && typeof image.repository === 'string') {
    const registry = typeof image.registry === 'string' ? `${image.registry}/` : '';
    const ref = typeof image.digest === 'string' ? `@${image.digest}` : typeof image.tag === 'string' ? `:${image.tag}` : '';
    return `image ${registry}${image.repository}${ref}`;
  }
  if (f.audit && typeof f.audit.cluster === 'string') return `cluster ${f.audit.cluster}`;
  return '(no location)';
}

function groupByTarget(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const target = targetOf(f);
    const group = groups.get(target);
    if (group) group.push(f);
    else groups.set(target, [f]);
  }
  return groups;
}

function lineLabel(f: Finding): string {
  return f.location?.line != null ? String(f.location.line) : '-';
}

function suppressionLabel(f: Finding): string {
  const s = f.suppression;
  if (!s) return '[suppressed]';
  const until = s.expires ? ` until ${s.expires}` : '';
  return `[suppressed by ${s.source}${until}${s.reason ? `: ${terminalSafe(s.reason)}` : ''}]`;
}
