/**
 * Semantic Versioning 2.0.0 precedence, as npm, Go modules and crates.io use it: major, minor and
 * patch as numbers; a version with a pre-release is older than the same version without one;
 * pre-release identifiers compare left to right, numeric ones as numbers and older than
 * alphanumeric ones (compared in ASCII order), and a shorter list of equal identifiers is older.
 * Build metadata (`+...`, Go's `+incompatible`) is ignored.
 *
 * Accepted beyond the strict grammar: a leading `v` (Go) or `=` (npm), surrounding spaces, and
 * missing minor/patch parts (`1.2` reads as `1.2.0`). Go pseudo-versions
 * (`v0.0.0-20210101120000-abcdef123456`, `v1.2.4-0.20210101120000-abcdef123456`) are ordinary
 * pre-releases and order by their timestamp.
 */
import { compareDigits, compareStrings } from './digits.ts';

export interface SemVer {
  core: [string, string, string];
  prerelease: string[];
}

const SEMVER = /^[=v]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function parseSemver(text: string): SemVer | null {
  const m = SEMVER.exec(text.trim());
  if (!m) return null;
  return { core: [m[1], m[2] ?? '0', m[3] ?? '0'], prerelease: m[4] ? m[4].split('.') : [] };
}

const NUMERIC = /^\d+$/;

function compareIdentifiers(a: string, b: string): number {
  const an = NUMERIC.test(a);
  const bn = NUMERIC.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

export function compareParsedSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    const diff = compareDigits(a.core[i], b.core[i]);
    if (diff) return diff;
  }
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pa.length === pb.length ? 0 : pa.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const diff = compareIdentifiers(pa[i], pb[i]);
    if (diff) return diff;
  }
  return Math.sign(pa.length - pb.length);
}

/** Sign of a - b, or null when either string is not a semantic version. */
export function compareSemver(a: string, b: string): number | null {
  const x = parseSemver(a);
  const y = parseSemver(b);
  return x && y ? compareParsedSemver(x, y) : null;
}
