import type { CelInput } from '@bufbuild/cel';
import type { Severity } from '../findings/finding.ts';
import type { Manifest } from '../iac/k8s/manifest.ts';
import type { Path } from '../iac/yaml/positions.ts';
import type { ScanError } from '../scan/result.ts';
import type { AdmissionTarget } from './match.ts';

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
  /** Index of the failing validation inside the policy (several validations of one policy stay distinct); -1 for its match conditions. */
  index?: number;
}

export interface PolicySet {
  /** Policies that were loaded but cannot run (e.g. a VAP that needs paramKind), with the reason. */
  skipped: { file: string; name: string; reason: string }[];
  evaluate(manifests: readonly Manifest[]): { hits: PolicyHit[]; errors: ScanError[] };
}

/** A policy that cannot be used (invalid file, expression that does not compile): the scan does not start. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${problem}`);
  }
}

/** A scanned object, prepared once for every policy (see subject.ts). */
export interface PolicySubject {
  target: AdmissionTarget;
  /** CEL inputs: the object, its Namespace when scanned (else null), the admission request of its creation. */
  object: CelInput;
  namespaceObject: CelInput;
  request: CelInput;
}

/** One loaded policy, compiled and ready to judge objects. */
export interface CompiledPolicy {
  /** `vap/<name>` or the Shipwatch policy's id. */
  readonly id: string;
  readonly file: string;
  check(subject: PolicySubject, out: { hits: PolicyHit[]; errors: ScanError[] }): void;
}
