import { cisEks } from './frameworks/cis-eks.ts';
import { cisK8s } from './frameworks/cis-k8s.ts';
import { gdprArt32 } from './frameworks/gdpr.ts';
import { hipaaSecurityRule } from './frameworks/hipaa.ts';
import { nistSp800190 } from './frameworks/nist-800-190.ts';
import { nsaCisa } from './frameworks/nsa-cisa.ts';
import { pciDss } from './frameworks/pci-dss.ts';

/** How much of a control our rules can judge: all of it, part of it, or nothing (a person checks it). */
export type Automation = 'automated' | 'partial' | 'manual';

/**
 * One control of a framework and the rules that evidence it. A rule evidences the control when
 * - its compliance list cites the control (`${refPrefix}${id}` or an alias), or
 * - its compliance list holds one of `refs` (a crosswalk to another framework's control), or
 * - its id matches one of `rules` (exact ids, or patterns with `*`, e.g. `AUDIT-0*`).
 */
export interface ComplianceControl {
  /** The framework's own numbering or section name, as rules cite it after the framework prefix. */
  id: string;
  title: string;
  /** Rule ids or `*` patterns that evidence the control besides the rules citing it. */
  rules?: string[];
  /** References of other frameworks whose citing rules evidence this control too, e.g. `CIS-K8S 5.2.2`. */
  refs?: string[];
  /** Other spellings of the reference that rules use for this control. */
  aliases?: string[];
  automation: Automation;
}

export interface ComplianceFramework {
  /** The `--framework` value. */
  id: string;
  name: string;
  /** The version of the framework document the controls follow. */
  version: string;
  /** The version of our mapping of rules onto the controls: bumped whenever a control gains or loses evidence. */
  mappingVersion: string;
  /** How rules cite the framework: a rule evidences control C when its compliance list holds `${refPrefix}${C}`. */
  refPrefix: string;
  controls: ComplianceControl[];
}

export const FRAMEWORKS: readonly ComplianceFramework[] = [cisK8s, cisEks, nsaCisa, nistSp800190, pciDss, hipaaSecurityRule, gdprArt32];

export function frameworkById(id: string): ComplianceFramework | undefined {
  return FRAMEWORKS.find((f) => f.id === id);
}

/** The references a rule may carry to evidence a control: its own (framework prefix, any spelling) and the crosswalk. */
export function controlRefs(framework: ComplianceFramework, control: ComplianceControl): string[] {
  return [...[control.id, ...(control.aliases ?? [])].map((id) => `${framework.refPrefix}${id}`), ...(control.refs ?? [])];
}

/** Whether a rule id matches an id or a pattern of a control's `rules` (`*` stands for any characters). */
export function rulePatternMatches(pattern: string, ruleId: string): boolean {
  if (!pattern.includes('*')) return pattern === ruleId;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(ruleId);
}

/** Compares references the way rules write them: case, spacing and dashes do not matter (`CIS-EKS 5.4.2` = `CIS EKS 5.4.2`). */
export function normalizeRef(ref: string): string {
  return ref.toLowerCase().replace(/[-_\s]+/g, ' ').trim();
}
