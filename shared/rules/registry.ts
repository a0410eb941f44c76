import type { Severity } from '../findings/finding.ts';

/** What every rule, of every engine, says about itself. */
export interface RuleMeta {
  id: string;
  /** Which engine runs it: Kubernetes manifests, Dockerfiles, secrets in files, ... */
  engine: 'k8s' | 'docker' | 'secret' | 'image' | 'audit' | 'cloud';
  severity: Severity;
  title: string;
  /** When the rule fires, in one or two sentences. */
  description: string;
  remediation: string;
  /** Framework references, e.g. "CIS-K8S 5.2.2", "NIST-800-190 4.4.3", "PCI-DSS 2.2.6", "MITRE T1611". */
  compliance: string[];
  /** Off unless a repository enables it (hardening-only rules that many teams decline). */
  offByDefault?: boolean;
}

const rules = new Map<string, RuleMeta>();

/** Called once by each rule file at import time. */
export function registerRule<R extends RuleMeta>(rule: R): R {
  if (rules.has(rule.id)) throw new Error(`rule ${rule.id} registered twice`);
  rules.set(rule.id, rule);
  return rule;
}

export function allRules(): RuleMeta[] {
  return [...rules.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

export function ruleById(id: string): RuleMeta | undefined {
  return rules.get(id);
}
