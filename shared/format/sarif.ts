import { severityRank, type Finding, type Severity, type SuppressionSource } from '../findings/finding.ts';
import { ruleById } from '../rules/registry.ts';
import type { ScanResult } from '../scan/result.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { escapeMarkdown } from './markdown.ts';
import { describeResource } from './table.ts';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The project's home, shown by code scanning next to each rule; forks can pass their own. */
export const SHIPWATCH_INFORMATION_URI = 'https://github.com/shipwatch/shipwatch';
/** Key of our fingerprint in `partialFingerprints`; bump the version if the fingerprint recipe ever changes. */
export const FINGERPRINT_KEY = 'shipwatchFingerprint/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVELS: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub buckets security-severity as >= 9.0 critical, >= 7.0 high, >= 4.0 medium, below that low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

const SUPPRESSION_KINDS: Record<SuppressionSource, 'inSource' | 'external'> = {
  annotation: 'inSource',
  comment: 'inSource',
  config: 'external',
  api: 'external',
};

export interface SarifOptions {
  toolVersion?: string;
  informationUri?: string;
}

/** What a SARIF rule descriptor is made of, from the registry or, for custom policies, from the finding. */
interface RuleInfo {
  id: string;
  title: string;
  description: string;
  remediation: string;
  compliance: readonly string[];
  severity: Severity;
}

/** SARIF 2.1.0 as GitHub code scanning accepts it: one run, a descriptor per rule used, results with stable fingerprints. */
export function formatSarif(result: ScanResult, options: SarifOptions = {}): string {
  const rules = usedRules(result.findings);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipwatch',
            informationUri: options.informationUri ?? SHIPWATCH_INFORMATION_URI,
            version: options.toolVersion ?? packageJson.version,
            rules: rules.map(ruleDescriptor),
          },
        },
        // Unreadable or unparsable inputs are not findings, but belong next to them.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.errors.map((e) => notification('error', e.message, e.file, e.line)),
              ...result.notices.map((n) => notification('note', n.message, n.file, null)),
            ],
          },
        ],
        results: result.findings.map((f) => sarifResult(f, ruleIndex.get(f.ruleId)!)),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function usedRules(findings: readonly Finding[]): RuleInfo[] {
  const rules = new Map<string, RuleInfo>();
  for (const f of findings) {
    const known = rules.get(f.ruleId);
    if (known) {
      // GitHub ranks an alert by its rule's security-severity, so the rule takes the most severe level
      // this scan reported (a repository's severity override included), not the catalog default.
      if (severityRank(f.severity) < severityRank(known.severity)) known.severity = f.severity;
      continue;
    }
    const meta = ruleById(f.ruleId);
    rules.set(f.ruleId, {
      id: f.ruleId,
      title: meta?.title ?? f.title,
      description: meta?.description ?? f.title,
      remediation: meta?.remediation ?? f.remediation,
      compliance: meta?.compliance ?? f.compliance,
      severity: f.severity,
    });
  }
  return [...rules.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function ruleDescriptor(rule: RuleInfo) {
  const help = rule.remediation || rule.title;
  const refs = rule.compliance.join(', ');
  return {
    id: rule.id,
    name: ruleName(rule.title),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    help: {
      text: refs ? `${help}\n\nReferences: ${refs}` : help,
      // Custom policies bring their own text, so it is escaped like any other untrusted input.
      markdown: `**Remediation:** ${escapeMarkdown(help)}` + (refs ? `\n\n**References:** ${escapeMarkdown(refs)}` : ''),
    },
    defaultConfiguration: { level: SARIF_LEVELS[rule.severity] },
    properties: { 'security-severity': SECURITY_SEVERITY[rule.severity], tags: ['security', ...rule.compliance] },
  };
}

function sarifResult(f: Finding, ruleIndex: number) {
  const about = [f.resource ? describeResource(f.resource) : null, f.container !== null ? `container ${f.container}` : null].filter((s) => s !== null);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: SARIF_LEVELS[f.severity],
    message: { text: about.length > 0 ? `${f.message} (${about.join(', ')})` : f.message },
    ...(f.location ? { locations: [location(f.location.file, f.location.line)] } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.suppression
      ? { suppressions: [{ kind: SUPPRESSION_KINDS[f.suppression.source], justification: f.suppression.reason ?? `suppressed by ${f.suppression.source}` }] }
      : {}),
  };
}

function notification(level: 'error' | 'note', text: string, file: string | null, line: number | null) {
  return { level, message: { text }, ...(file !== null ? { locations: [location(file, line)] } : {}) };
}

function location(file: string, line: number | null) {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(file), uriBaseId: '%SRCROOT%' },
      region: { startLine: line !== null && line >= 1 ? line : 1 },
    },
  };
}

/** A repository-relative path as a URI reference: forward slashes, no leading `./`, each segment percent-encoded. */
export function relativeUri(path: string): string {
  const segments = path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').split('/');
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/** "Privileged container" -> "PrivilegedContainer": SARIF's rule name is an identifier, not prose. */
function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
