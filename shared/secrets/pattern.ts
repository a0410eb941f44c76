import type { Severity } from '../findings/finding.ts';
import { registerRule, type RuleMeta } from '../rules/registry.ts';

/** One secret found in a text: where it starts and the raw secret (masked before it leaves the scanner). */
export interface SecretHit {
  /** Offset of the reported position in the text (the BEGIN line for key blocks). */
  index: number;
  /** The captured secret value; only its masked form is ever reported. */
  secret: string;
  /** Where a placeholder would be written, when it is not the whole secret (after a fixed prefix such as `sk_test_`, or decoded). */
  value?: string;
  /** A fixed prefix plus a checksum vouch for the secret, so the entropy floor does not apply. */
  checksummed?: boolean;
  severity?: Severity;
  message?: string;
}

export interface SecretPattern extends RuleMeta {
  engine: 'secret';
  /** A catch-all pattern: silent on a line where a specific pattern already reported. */
  generic?: boolean;
  /** Finds candidate secrets in a whole file's text (after the path allow-rules). */
  find(text: string, path: string): Iterable<SecretHit>;
}

export function secretPattern(
  def: Omit<RuleMeta, 'engine'> & { generic?: boolean; find(text: string, path: string): Iterable<SecretHit> },
): SecretPattern {
  return registerRule({ ...def, engine: 'secret' as const });
}
