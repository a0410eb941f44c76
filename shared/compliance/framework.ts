import { cisK8s } from './frameworks/cis-k8s.ts';
import { nistSp800190 } from './frameworks/nist-800-190.ts';
import { nsaCisa } from './frameworks/nsa-cisa.ts';
import { pciDss } from './frameworks/pci-dss.ts';

/** How much of a control our rules can judge from manifests and Dockerfiles. */
export type Automation = 'automated' | 'partial' | 'manual';

export interface ComplianceControl {
  /** The framework's own numbering or section name, as rules cite it after the framework prefix. */
  id: string;
  title: string;
  /** Rules that evidence the control; when omitted, every rule whose compliance list cites the control. */
  rules?: string[];
  /** Other spellings of the reference that rules use for this control. */
  aliases?: string[];
  automation: Automation;
}

export interface ComplianceFramework {
  /** The `--framework` value. */
  id: string;
  name: string;
  version: string;
  /** How rules cite the framework: a rule evidences control C when its compliance list holds `${refPrefix}${C}`. */
  refPrefix: string;
  controls: ComplianceControl[];
}

export const FRAMEWORKS: readonly ComplianceFramework[] = [cisK8s, nsaCisa, nistSp800190, pciDss];

export function frameworkById(id: string): ComplianceFramework | undefined {
  return FRAMEWORKS.find((f) => f.id === id);
}

/** The references a rule must carry to evidence a control (exact framework prefix, any listed spelling). */
export function controlRefs(framework: ComplianceFramework, control: ComplianceControl): string[] {
  return [control.id, ...(control.aliases ?? [])].map((id) => `${framework.refPrefix}${id}`);
}
