import type { Finding } from '../findings/finding.ts';
import { allRules, type RuleMeta } from '../rules/registry.ts';
import type { ShipwatchConfig } from '../config/config.ts';
import { readManifests, ruleEnabled } from '../scan/engine.ts';
import type { ScanResult } from '../scan/result.ts';
import { classify, type SourceFile } from '../scan/sources.ts';
import { DOCKERFILE_KIND, FILE_KIND, missingInput, ruleInScope } from './scope.ts';
export { DOCKERFILE_KIND, FILE_KIND } from './scope.ts';
import { controlRefs, frameworkById, type Automation, type ComplianceControl, type ComplianceFramework } from './framework.ts';
// The mapping is derived from whatever rules exist, so every rule must be registered first.
import '../iac/k8s/rules/all.ts';
import '../iac/docker/rules/all.ts';
import '../secrets/patterns/all.ts';

export type ControlStatus = 'pass' | 'fail' | 'accepted' | 'not-applicable';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['fail', 'accepted', 'pass', 'not-applicable'];

export interface ControlResult {
  id: string;
  title: string;
  automation: Automation;
  /**
   * fail: an unsuppressed finding of one of its rules; accepted: only suppressed findings (each with
   * its reason); pass: its rules evaluated something and found nothing; not-applicable: no automated
   * rule, or nothing its rules apply to was scanned.
   */
  status: ControlStatus;
  /** The rules that were evaluated for the control. */
  rules: string[];
  /** Why the control is not applicable; null otherwise. */
  reason: string | null;
  /** Unsuppressed findings behind a fail. */
  findings: Finding[];
  /** Suppressed findings: risks accepted in annotations, comments or configuration. */
  accepted: Finding[];
}

export interface ComplianceReport {
  framework: { id: string; name: string; version: string };
  summary: Record<ControlStatus, number>;
  controls: ControlResult[];
}

export interface ComplianceOptions {
  /** The repository configuration of the scan: disabled and opt-in rules evaluate nothing. */
  config?: ShipwatchConfig;
  /** The rule registry (default: every registered rule). */
  rules?: readonly RuleMeta[];
}

/**
 * Judges each control of a framework from a scan result.
 * `scannedKinds`: the Kubernetes object kinds the scan read, plus DOCKERFILE_KIND when it read a
 * Dockerfile and FILE_KIND when it read any file (see `scannedKindsOf`).
 */
export function complianceReport(
  framework: ComplianceFramework | string,
  result: ScanResult,
  scannedKinds: Iterable<string>,
  options: ComplianceOptions = {},
): ComplianceReport {
  const fw = typeof framework === 'string' ? frameworkById(framework) : framework;
  if (!fw) throw new Error(`unknown compliance framework "${String(framework)}"`);
  const rules = options.rules ?? allRules();
  const config = options.config ?? {};
  const kinds = new Set(scannedKinds);
  const findingsByRule = new Map<string, Finding[]>();
  for (const f of result.findings) findingsByRule.set(f.ruleId, [...(findingsByRule.get(f.ruleId) ?? []), f]);

  const controls = fw.controls.map((control): ControlResult => {
    const base = { id: control.id, title: control.title, automation: control.automation };
    const notApplicable = (reason: string): ControlResult => ({ ...base, status: 'not-applicable', rules: [], reason, findings: [], accepted: [] });
    if (control.automation === 'manual') return notApplicable('manual control: no automated check');
    const mapped = mappedRules(fw, control, rules);
    if (mapped.length === 0) return notApplicable('no rule checks this control');
    const enabled = mapped.filter((r) => ruleEnabled(r, config));
    if (enabled.length === 0) return notApplicable(`its rules are disabled (${mapped.map((r) => r.id).join(', ')})`);
    // A rule that reported something evaluated something, whatever the caller says was scanned.
    const inScope = enabled.filter((r) => ruleInScope(r, kinds) || findingsByRule.has(r.id));
    const ids = inScope.map((r) => r.id);
    if (inScope.length === 0) return notApplicable(`nothing in scope: ${missingInput(enabled)}`);
    const related = ids.flatMap((id) => findingsByRule.get(id) ?? []);
    const findings = related.filter((f) => !f.suppressed);
    const accepted = related.filter((f) => f.suppressed);
    const status: ControlStatus = findings.length > 0 ? 'fail' : accepted.length > 0 ? 'accepted' : 'pass';
    return { ...base, status, rules: ids, reason: null, findings, accepted };
  });

  const summary: Record<ControlStatus, number> = { fail: 0, accepted: 0, pass: 0, 'not-applicable': 0 };
  for (const c of controls) summary[c.status]++;
  return { framework: { id: fw.id, name: fw.name, version: fw.version }, summary, controls };
}

/** The rules that evidence a control: its explicit list, else every rule citing it. */
export function mappedRules(framework: ComplianceFramework, control: ComplianceControl, rules: readonly RuleMeta[]): RuleMeta[] {
  if (control.rules) return rules.filter((r) => control.rules!.includes(r.id));
  const refs = new Set(controlRefs(framework, control).map(normalizeRef));
  return rules.filter((r) => r.compliance.some((ref) => refs.has(normalizeRef(ref))));
}

/** What a scan of these files evaluated, for `complianceReport`'s `scannedKinds`. */
export function scannedKindsOf(files: readonly SourceFile[]): Set<string> {
  const kinds = new Set<string>();
  for (const file of files) {
    if (file.readError !== undefined || file.text === undefined) continue;
    kinds.add(FILE_KIND);
    const type = file.stdin ? 'yaml' : classify(file.path);
    if (type === 'dockerfile') kinds.add(DOCKERFILE_KIND);
    // Templates are not scanned before rendering (the engine skips them), so they evaluate nothing.
    else if ((type === 'yaml' || type === 'json') && !/\{\{/.test(file.text)) {
      for (const m of readManifests(file, type, file.text, [])) kinds.add(m.kind);
    }
  }
  return kinds;
}

function normalizeRef(ref: string): string {
  return ref.trim().replace(/\s+/g, ' ').toLowerCase();
}
