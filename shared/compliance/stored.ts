import type { Finding, FindingSource } from '../findings/finding.ts';
import type { StoredFinding } from '../pipeline/model.ts';
import type { ComplianceFramework } from './framework.ts';
import { judgeCompliance, type ComplianceEvidence, type ComplianceReport, type JudgeOptions, type RuleRef } from './report.ts';
import { ruleFamily, ruleSources } from './report-scope.ts';

const SOURCE_WORDS: Record<FindingSource, string> = {
  iac: 'repository scans',
  image: 'image scans',
  registry: 'registry scan results',
  audit: 'audit logs',
  posture: 'posture scans',
};

/**
 * Compliance evidence from the findings store. Open findings fail their controls and suppressed ones
 * are accepted risks; resolved findings only show that their rules ran. A rule counts as evaluated
 * when its family (K8S, DOCKER, IMG, AUDIT, EKS...) has stored findings of any status from one of
 * its sources in the report's targets: a repository scan without Terraform says nothing about EKS
 * rules. Secret patterns run on every file a repository or image scan reads, so any finding of those
 * scans shows they ran. Evidence is as recent as the latest finding seen or resolved there.
 */
export class StoredComplianceEvidence implements ComplianceEvidence {
  readonly findings: StoredFinding[] = [];
  /** Latest observation per `source` and per `source:family`. */
  private readonly latest = new Map<string, string>();

  /** Takes one stored finding (any status); hand it every finding of the report's targets. */
  add(f: StoredFinding): void {
    if (f.status === 'open' || f.status === 'suppressed') this.findings.push(f);
    const seen = f.resolvedAt !== null && f.resolvedAt > f.lastSeen ? f.resolvedAt : f.lastSeen;
    for (const key of [f.source, `${f.source}:${ruleFamily(f.ruleId)}`]) {
      const known = this.latest.get(key);
      if (known === undefined || seen > known) this.latest.set(key, seen);
    }
  }

  evaluated(rule: RuleRef): boolean {
    return this.evaluatedAt(rule) !== null;
  }

  missing(rules: readonly RuleRef[]): string {
    const sources = [...new Set(rules.flatMap((r) => ruleSources(r.id)))].map((s) => SOURCE_WORDS[s]);
    const families = [...new Set(rules.map((r) => ruleFamily(r.id)))];
    return `no findings stored from ${either(sources)} for ${either(families)} rules`;
  }

  evaluatedAt(rule: RuleRef): string | null {
    const family = ruleFamily(rule.id);
    let latest: string | null = null;
    for (const source of ruleSources(rule.id)) {
      const at = this.latest.get(family === 'SECRET' ? source : `${source}:${family}`);
      if (at !== undefined && (latest === null || at > latest)) latest = at;
    }
    return latest;
  }

  observedAt(finding: Finding): string | null {
    return (finding as StoredFinding).lastSeen ?? null;
  }
}

function either(list: string[]): string {
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : list[0];
}

/** A compliance report over stored findings (see StoredComplianceEvidence for what counts). */
export function storedComplianceReport(framework: ComplianceFramework | string, findings: Iterable<StoredFinding>, options: JudgeOptions = {}): ComplianceReport {
  const evidence = new StoredComplianceEvidence();
  for (const f of findings) evidence.add(f);
  return judgeCompliance(framework, evidence, options);
}
