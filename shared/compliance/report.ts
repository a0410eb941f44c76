import type { Finding, FindingSource } from '../findings/finding.ts';
import { allRules, type RuleMeta } from '../rules/registry.ts';
import type { ShipwatchConfig } from '../config/config.ts';
import { readManifests, ruleEnabled } from '../scan/engine.ts';
import type { ScanResult } from '../scan/result.ts';
import { classify, type SourceFile } from '../scan/sources.ts';
import { AWS_TEMPLATE_KIND, DOCKERFILE_KIND, FILE_KIND, missingInput, ruleInScope } from './scope.ts';
export { AWS_TEMPLATE_KIND, DOCKERFILE_KIND, FILE_KIND } from './scope.ts';
import { controlRefs, frameworkById, normalizeRef, rulePatternMatches, type ComplianceControl, type ComplianceFramework } from './framework.ts';
import { ruleInReportScope, ruleSources, sourceInReportScope, type ReportScope } from './report-scope.ts';
import type { ComplianceReport, ControlResult, ControlStatus } from './model.ts';
export { CONTROL_STATUSES, type ComplianceReport, type ControlResult, type ControlStatus } from './model.ts';
// The mapping resolves against whatever rules exist, so every rule must be registered first.
import './rules.ts';

/** What a rule is to the mapping: registered rules, or ids seen only in findings (produced by another process). */
export type RuleRef = Pick<RuleMeta, 'id' | 'compliance'> & Partial<Pick<RuleMeta, 'engine' | 'offByDefault'>>;

/** What a report is judged from, whatever gathered it (a scan of local files, the findings store). */
export interface ComplianceEvidence {
  /** Findings in the report's scope: unsuppressed ones fail their controls, suppressed ones are accepted risks. */
  findings: readonly Finding[];
  /** Whether the rule evaluated anything in scope (a rule that reported a finding always did). */
  evaluated(rule: RuleRef): boolean;
  /** Why none of these rules evaluated anything: "no workloads in the scan". */
  missing(rules: readonly RuleRef[]): string;
  /** When the rule last evaluated its input, when known. */
  evaluatedAt(rule: RuleRef): string | null;
  /** When a finding was last observed, when known. */
  observedAt(finding: Finding): string | null;
}

export interface JudgeOptions {
  /** The configuration the rules ran with: disabled and opt-in rules evaluate nothing. */
  config?: ShipwatchConfig;
  /** The rule registry (default: every registered rule); rules only seen in findings are added. */
  rules?: readonly RuleRef[];
  scope?: ReportScope;
  now?: () => Date;
}

/** Judges each control of a framework from the evidence. */
export function judgeCompliance(framework: ComplianceFramework | string, evidence: ComplianceEvidence, options: JudgeOptions = {}): ComplianceReport {
  const fw = typeof framework === 'string' ? frameworkById(framework) : framework;
  if (!fw) throw new Error(`unknown compliance framework "${String(framework)}"`);
  const scope = options.scope ?? 'all';
  const config = options.config ?? {};
  const findings = evidence.findings.filter((f) => sourceInReportScope(f.source, scope));
  const findingsByRule = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = findingsByRule.get(f.ruleId);
    if (list) list.push(f);
    else findingsByRule.set(f.ruleId, [f]);
  }
  const rules = ruleUniverse(options.rules ?? allRules(), findings);

  const controls = fw.controls.map((control): ControlResult => {
    const base = { id: control.id, title: control.title, automation: control.automation };
    const notAssessed = (reason: string): ControlResult => ({ ...base, status: 'not-assessed', rules: [], reason, evidenceAt: null, findings: [], accepted: [] });
    if (control.automation === 'manual') return notAssessed('manual control: no automated check');
    const mapped = mappedRules(fw, control, rules);
    if (mapped.length === 0) return notAssessed('no rule checks this control');
    const scoped = mapped.filter((r) => ruleInReportScope(r.id, scope));
    if (scoped.length === 0) return notAssessed(`no rule of this control reports ${scope} findings (${mapped.map((r) => r.id).join(', ')})`);
    const enabled = scoped.filter((r) => isEnabled(r, config));
    if (enabled.length === 0) return notAssessed(`its rules are disabled (${scoped.map((r) => r.id).join(', ')})`);
    const evaluated = enabled.filter((r) => findingsByRule.has(r.id) || evidence.evaluated(r));
    if (evaluated.length === 0) return notAssessed(`nothing in scope: ${evidence.missing(enabled)}`);
    const related = evaluated.flatMap((r) => findingsByRule.get(r.id) ?? []);
    const failing = related.filter((f) => !f.suppressed);
    const accepted = related.filter((f) => f.suppressed);
    const status: ControlStatus = failing.length > 0 ? 'fail' : accepted.length > 0 ? 'accepted' : 'pass';
    const times = [...related.map((f) => evidence.observedAt(f)), ...evaluated.map((r) => evidence.evaluatedAt(r))];
    return { ...base, status, rules: evaluated.map((r) => r.id), reason: null, evidenceAt: latest(times), findings: failing, accepted };
  });

  const summary: Record<ControlStatus, number> = { fail: 0, accepted: 0, pass: 0, 'not-assessed': 0 };
  for (const c of controls) summary[c.status]++;
  const generatedAt = (options.now ?? (() => new Date()))().toISOString();
  return { framework: { id: fw.id, name: fw.name, version: fw.version, mappingVersion: fw.mappingVersion }, scope, generatedAt, summary, controls };
}

export interface ComplianceOptions extends JudgeOptions {
  /** When the scan ran (default: now): the evidence time of what it evaluated. */
  scannedAt?: string;
  /** Sources whose scan results (image, audit) were read besides the files: their rules count as evaluated. */
  resultSources?: readonly FindingSource[];
}

/**
 * Judges each control of a framework from a scan of local files (plus, optionally, results of image
 * or audit scans). `scannedKinds`: the Kubernetes object kinds the scan read, plus DOCKERFILE_KIND,
 * AWS_TEMPLATE_KIND and FILE_KIND for Dockerfiles, Terraform/CloudFormation and any file (see `scannedKindsOf`).
 */
export function complianceReport(framework: ComplianceFramework | string, result: ScanResult, scannedKinds: Iterable<string>, options: ComplianceOptions = {}): ComplianceReport {
  const kinds = new Set(scannedKinds);
  const scannedAt = options.scannedAt ?? (options.now ?? (() => new Date()))().toISOString();
  const resultSources = new Set(options.resultSources ?? []);
  const evaluated = (rule: RuleRef) => {
    const sources = ruleSources(rule.id);
    return (sources.includes('iac') && ruleInScope(rule, kinds)) || sources.some((s) => s !== 'iac' && resultSources.has(s));
  };
  const evidence: ComplianceEvidence = {
    findings: result.findings,
    evaluated,
    missing: (rules) => missingInput(rules),
    evaluatedAt: (rule) => (evaluated(rule) ? scannedAt : null),
    observedAt: () => scannedAt,
  };
  return judgeCompliance(framework, evidence, options);
}

/** The rules that evidence a control: those citing it (or a crosswalk reference), and those its `rules` name. */
export function mappedRules<R extends RuleRef>(framework: ComplianceFramework, control: ComplianceControl, rules: readonly R[]): R[] {
  const refs = new Set(controlRefs(framework, control).map(normalizeRef));
  const patterns = control.rules ?? [];
  return rules.filter((r) => r.compliance.some((ref) => refs.has(normalizeRef(ref))) || patterns.some((p) => rulePatternMatches(p, r.id)));
}

/** What a scan of these files evaluated, for `complianceReport`'s `scannedKinds`. */
export function scannedKindsOf(files: readonly SourceFile[]): Set<string> {
  const kinds = new Set<string>();
  for (const file of files) {
    if (file.readError !== undefined || file.text === undefined) continue;
    kinds.add(FILE_KIND);
    if (/\.tf$/i.test(file.path) || /AWS::(?:EKS|ECR)::/.test(file.text)) kinds.add(AWS_TEMPLATE_KIND);
    const type = file.stdin ? 'yaml' : classify(file.path);
    if (type === 'dockerfile') kinds.add(DOCKERFILE_KIND);
    // Templates are not scanned before rendering (the engine skips them), so they evaluate nothing.
    else if ((type === 'yaml' || type === 'json') && !/\{\{/.test(file.text)) {
      for (const m of readManifests(file, type, file.text, [])) kinds.add(m.kind);
    }
  }
  return kinds;
}

/** Registered rules plus the rule ids findings carry that this process has not registered. */
function ruleUniverse(registered: readonly RuleRef[], findings: readonly Finding[]): RuleRef[] {
  const known = new Set(registered.map((r) => r.id));
  const extra = new Map<string, RuleRef>();
  for (const f of findings) {
    if (!known.has(f.ruleId) && !extra.has(f.ruleId)) extra.set(f.ruleId, { id: f.ruleId, compliance: f.compliance });
  }
  return [...registered, ...extra.values()];
}

/** The engine's own test; it reads only the id and `offByDefault`, which every rule reference has. */
function isEnabled(rule: RuleRef, config: ShipwatchConfig): boolean {
  return ruleEnabled(rule as RuleMeta, config);
}

function latest(times: (string | null)[]): string | null {
  let out: string | null = null;
  for (const t of times) if (t !== null && (out === null || t > out)) out = t;
  return out;
}
