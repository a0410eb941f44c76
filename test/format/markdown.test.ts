import { describe, expect, it } from 'vitest';
import { escapeMarkdown, formatMarkdown, formatRulesMarkdown } from '../../shared/format/markdown.ts';
import { summarize, type Finding } from '../../shared/findings/finding.ts';
import type { RuleMeta } from '../../shared/rules/registry.ts';
import type { ScanResult } from '../../shared/scan/result.ts';
import { scanText } from '../helpers/scan.ts';
import { PRIVILEGED_DEPLOYMENT } from './fixtures.ts';

const ZWJ = '\u200d';

/** Cells of a Markdown table row, split on pipes that are not escaped (as GFM does). */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function resultOf(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
  return { schemaVersion: 1, findings, errors: [], notices: [], summary: summarize(findings), ...extra };
}

describe('escapeMarkdown', () => {
  it('neutralises HTML', () => {
    const out = escapeMarkdown('<img src=x onerror=alert(1)>');
    expect(out).not.toMatch(/[<>]/);
    expect(out).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(escapeMarkdown('<script>x</script> &amp;')).toBe('&lt;script&gt;x&lt;/script&gt; &amp;amp;');
  });

  it('breaks @-mentions and team mentions with a zero-width joiner', () => {
    expect(escapeMarkdown('@admin')).toBe(`@${ZWJ}admin`);
    expect(escapeMarkdown('ping @org/security-team')).toBe(`ping @${ZWJ}org/security\\-team`);
    expect(escapeMarkdown('x@admin')).not.toMatch(/@[a-z]/);
  });

  it('defuses links and images, including javascript: URLs', () => {
    expect(escapeMarkdown('[link](javascript:alert(1))')).toBe('\\[link\\]\\(javascript:alert\\(1\\)\\)');
    expect(escapeMarkdown('![x](https://evil.example/p.png)')).toBe('\\!\\[x\\]\\(https://evil\\.example/p\\.png\\)');
  });

  it('escapes every Markdown-significant character', () => {
    for (const c of ['\\', '`', '*', '_', '[', ']', '(', ')', '#', '+', '-', '.', '!', '|', '~']) {
      expect(escapeMarkdown(`a${c}b`)).toBe(`a\\${c}b`);
    }
    expect(escapeMarkdown('**bold** _em_ ~~del~~ `code` # h')).toBe('\\*\\*bold\\*\\* \\_em\\_ \\~\\~del\\~\\~ \\`code\\` \\# h');
  });

  it('keeps text on one line and drops control characters', () => {
    expect(escapeMarkdown('a\nb\r\nc\rd\u2028e')).toBe('a b c d e');
    expect(escapeMarkdown('x\u0000y\u001b[31mz\tw')).toBe('xy\\[31mz w');
  });

  it('leaves plain words alone', () => {
    expect(escapeMarkdown('container main runs privileged')).toBe('container main runs privileged');
  });
});

describe('formatMarkdown', () => {
  const result = scanText(PRIVILEGED_DEPLOYMENT, { path: 'deploy/web.yaml' });
  const privileged = result.findings.filter((f) => f.ruleId === 'K8S-001');

  it('starts with a summary table by severity, with the suppressed count', () => {
    const text = formatMarkdown(resultOf(privileged));
    expect(text).toContain(['| Severity | Findings |', '| --- | ---: |', '| Critical | 1 |', '| High | 0 |', '| Medium | 0 |', '| Low | 0 |', '| Info | 0 |', '| Suppressed | 1 |'].join('\n'));
  });

  it('lists findings with severity, rule, file:line, resource and message', () => {
    const lines = formatMarkdown(resultOf(privileged)).split('\n');
    const header = lines.indexOf('| Severity | Rule | Location | Resource | Message |');
    expect(header).toBeGreaterThan(0);
    expect(cells(lines[header + 2])).toEqual([
      'Critical',
      'K8S\\-001 Privileged container',
      'deploy/web\\.yaml:13',
      'Deployment/web \\-n prod, container main',
      'container "main" runs privileged',
    ]);
  });

  it('shows suppressed findings apart, with who suppressed them and why', () => {
    const text = formatMarkdown(resultOf(privileged));
    const details = text.slice(text.indexOf('<details><summary>1 suppressed</summary>'));
    const line = details.split('\n').find((l) => l.includes('sidecar'))!;
    expect(cells(line).slice(-2)).toEqual(['comment', 'proxy needs iptables']);
    expect(details).toContain('</details>');
  });

  it('puts the most severe findings first and can cap the list', () => {
    const text = formatMarkdown(result, { maxFindings: 2 });
    const rows = text.split('\n').filter((l) => /^\| (Critical|High|Medium|Low|Info) \| [^|0-9]/.test(l));
    expect(rows).toHaveLength(2 + 1); // two findings shown, plus the suppressed one
    expect(rows[0]).toMatch(/^\| Critical \| K8S\\-001/);
    const active = result.findings.filter((f) => !f.suppressed).length;
    expect(text).toContain(`…and ${active - 2} more.`);
  });

  it('says so when there is nothing to report', () => {
    expect(formatMarkdown(resultOf([]))).toContain('No findings.');
  });

  it('lists errors and notices', () => {
    const text = formatMarkdown(resultOf([], { errors: [{ file: 'bad.yaml', line: 2, message: 'invalid YAML' }], notices: [{ file: null, message: 'ignore expired' }] }));
    expect(text).toContain('### Errors\n\n- bad\\.yaml:2: invalid YAML');
    expect(text).toContain('### Notices\n\n- ignore expired');
  });

  it('cannot be injected through file paths, resource names, container names or messages', () => {
    const base = privileged[0];
    const evil: Finding = {
      ...base,
      location: { file: 'a|b/<img src=x onerror=alert(1)>.yaml', line: 3 },
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'x | y', name: '[click](javascript:alert(document.cookie))' },
      container: '@admin',
      message: 'ping @security-team\n\n## Approved by admin\n| fake | row |',
      suppressed: false,
      suppression: null,
    };
    const suppressedEvil: Finding = {
      ...evil,
      suppressed: true,
      suppression: { source: 'annotation', reason: '</details><script>alert(1)</script> cc @admin', expires: null },
    };
    const text = formatMarkdown(resultOf([evil, suppressedEvil], { errors: [{ file: '<b>x</b>', line: null, message: '@here [x](http://e)' }] }));
    expect(text).not.toMatch(/<(?!details>|summary>|\/details>|\/summary>)/); // only our own tags
    expect(text.match(/<\/details>/g)).toHaveLength(1);
    expect(text).not.toMatch(/@[A-Za-z]/);
    expect(text).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/); // no link syntax survives
    expect(text).not.toMatch(/^#+ Approved/m);
    const row = text.split('\n').find((l) => l.startsWith('| Critical | K8S'))!;
    expect(cells(row)).toHaveLength(5);
    const suppressedRow = text.split('\n').find((l) => l.startsWith('| Critical |') && l.includes('annotation'))!;
    expect(cells(suppressedRow)).toHaveLength(6);
  });
});

describe('formatRulesMarkdown', () => {
  const rule = (id: string, extra: Partial<RuleMeta> = {}): RuleMeta => ({
    id,
    engine: 'k8s',
    severity: 'medium',
    title: `Title ${id}`,
    description: '',
    remediation: '',
    compliance: [],
    ...extra,
  });

  it('is a table with one row per rule, sorted by id', () => {
    const text = formatRulesMarkdown([
      rule('K8S-010', { compliance: ['CIS-K8S 5.2.10', 'PCI-DSS 2.2.6'] }),
      rule('DOCKER-001', { severity: 'high' }),
      rule('K8S-002', { offByDefault: true, title: 'Uses a|pipe' }),
    ]);
    expect(text.split('\n')).toEqual([
      '| ID | Severity | Title | Compliance |',
      '| --- | --- | --- | --- |',
      '| DOCKER\\-001 | High | Title DOCKER\\-001 |   |',
      '| K8S\\-002 | Medium | Uses a\\|pipe \\(off by default\\) |   |',
      '| K8S\\-010 | Medium | Title K8S\\-010 | CIS\\-K8S 5\\.2\\.10, PCI\\-DSS 2\\.2\\.6 |',
      '',
    ]);
  });
});
