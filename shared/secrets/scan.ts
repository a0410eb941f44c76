import type { Severity } from '../findings/finding.ts';
import { allRules } from '../rules/registry.ts';
import { looksBinary, pathAllowRule } from './allow-rules.ts';
import { ENTROPY_FLOOR, isPlaceholder, shannonEntropy } from './filters.ts';
import { maskSecret } from './mask.ts';
import type { SecretHit, SecretPattern } from './pattern.ts';
import './patterns/all.ts';

export { maskSecret } from './mask.ts';
export { shannonEntropy } from './filters.ts';

/** One reported secret: never the raw value, only its masked form. */
export interface SecretFinding {
  rule: SecretPattern;
  severity: Severity;
  message: string;
  /** 1-based line of the hit. */
  line: number;
  masked: string;
}

let registered: { specific: SecretPattern[]; generic: SecretPattern[] } | undefined;

/** The registered patterns, specific ones first so the generic ones know what was already reported. */
function secretPatterns() {
  if (!registered) {
    const patterns = allRules().filter((rule): rule is SecretPattern => rule.engine === 'secret');
    registered = { specific: patterns.filter((p) => !p.generic), generic: patterns.filter((p) => p.generic) };
  }
  return registered;
}

/**
 * Secrets in one text file (a repository file or an image layer file), sorted by line.
 * Files under the path allow-rules and binary-looking texts are skipped whole.
 */
export function scanSecrets(path: string, text: string): SecretFinding[] {
  if (typeof text !== 'string' || text.length === 0 || pathAllowRule(path) || looksBinary(text)) return [];
  const lineOf = lineLocator(text);
  const findings: SecretFinding[] = [];
  const { specific, generic } = secretPatterns();
  for (const pattern of specific) findings.push(...reportedHits(pattern, text, path, lineOf));
  const specificLines = new Set(findings.map((f) => f.line));
  for (const pattern of generic) {
    findings.push(...reportedHits(pattern, text, path, lineOf).filter((f) => !specificLines.has(f.line)));
  }
  return findings.sort((a, b) => a.line - b.line || a.rule.id.localeCompare(b.rule.id, 'en', { numeric: true }));
}

/** A pattern's hits that pass the value filters, each secret once even when several of its regexes match it. */
function reportedHits(pattern: SecretPattern, text: string, path: string, lineOf: (index: number) => number): SecretFinding[] {
  const taken: { start: number; end: number }[] = [];
  const out: SecretFinding[] = [];
  for (const hit of pattern.find(text, path)) {
    if (!isReportable(hit)) continue;
    const span = { start: hit.index, end: hit.index + hit.secret.length };
    if (taken.some((t) => span.start < t.end && t.start < span.end)) continue;
    taken.push(span);
    out.push({
      rule: pattern,
      severity: hit.severity ?? pattern.severity,
      message: hit.message ?? pattern.title,
      line: lineOf(hit.index),
      masked: maskSecret(hit.secret),
    });
  }
  return out;
}

/** The placeholder allowlist, then the entropy floor unless a prefix and checksum vouch for the secret. */
function isReportable(hit: SecretHit): boolean {
  if (hit.secret.length === 0 || isPlaceholder(hit.value ?? hit.secret)) return false;
  return hit.checksummed === true || shannonEntropy(hit.secret) >= ENTROPY_FLOOR;
}

/** Maps an offset to its 1-based line (binary search over the newline offsets, found once per file). */
function lineLocator(text: string): (index: number) => number {
  let newlines: number[] | undefined;
  return (index) => {
    if (!newlines) {
      newlines = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
    }
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (newlines[mid] < index) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  };
}
