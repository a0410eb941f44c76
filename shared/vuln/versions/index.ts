/**
 * Exact version ordering for the ecosystems the vulnerability matcher covers. Each scheme lives in
 * its own module and documents its rules there.
 *
 * `compareVersions` never throws. When a scheme cannot parse one of the two strings (an empty
 * string, a character its grammar forbids), the two strings are compared in plain code-unit order
 * as a last resort: the result is then deterministic but carries no version meaning, and the
 * order is a total order only among valid versions.
 */
import { compareApk } from './apk.ts';
import { compareDeb } from './deb.ts';
import { compareStrings, sign } from './digits.ts';
import { compareMaven } from './maven.ts';
import { comparePep440 } from './pypi.ts';
import { compareRpm } from './rpm.ts';
import { compareSemver } from './semver.ts';

export const VERSION_SCHEMES = ['deb', 'apk', 'rpm', 'semver', 'pypi', 'maven'] as const;
export type VersionScheme = (typeof VERSION_SCHEMES)[number];

const COMPARATORS: Record<VersionScheme, (a: string, b: string) => number | null> = {
  deb: compareDeb,
  apk: compareApk,
  rpm: compareRpm,
  semver: compareSemver,
  pypi: comparePep440,
  maven: compareMaven,
};

/** Negative when a is older than b, 0 when they are the same version, positive when a is newer. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): number {
  const compare = COMPARATORS[scheme];
  if (!compare) throw new Error(`unknown version scheme "${scheme}" (expected one of ${VERSION_SCHEMES.join(', ')})`);
  const result = compare(a, b);
  return result === null ? compareStrings(a, b) : sign(result);
}

/** Whether the scheme can read `version` (otherwise comparisons involving it fall back to strings). */
export function isValidVersion(scheme: VersionScheme, version: string): boolean {
  return COMPARATORS[scheme](version, version) !== null;
}
