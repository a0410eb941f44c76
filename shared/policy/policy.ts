import type { Severity } from '../findings/finding.ts';
import type { Manifest } from '../iac/k8s/manifest.ts';
import type { Path } from '../iac/yaml/positions.ts';
import type { ScanError } from '../scan/result.ts';

/** One violation of a custom policy (Shipwatch CEL policy or ValidatingAdmissionPolicy). */
export interface PolicyHit {
  /** The policy file's id, or `vap/<metadata.name>` for an admission policy. */
  policyId: string;
  title: string;
  severity: Severity;
  message: string;
  remediation?: string;
  manifest: Manifest;
  /** Field to point at, when known; the object otherwise. */
  path?: Path;
  /** Index of the failing validation inside the policy (several validations of one policy stay distinct). */
  index?: number;
}

export interface PolicySet {
  /** Policies that were loaded but cannot run (e.g. a VAP that needs paramKind), with the reason. */
  skipped: { file: string; name: string; reason: string }[];
  evaluate(manifests: readonly Manifest[]): { hits: PolicyHit[]; errors: ScanError[] };
}
