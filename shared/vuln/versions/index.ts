/**
 * Exact version ordering for the ecosystems the vulnerability matcher covers. Each scheme lives in
 * its own module and documents its rules there.
 *
 * `compareVersions` never throws. When a scheme cannot parse one of the two strings (an empty
 * string, a character its grammar forbids), the two strings are compared in plain code-unit order
 * as a last resort: the result is then deterministic but carries no version meaning, and the
 * order is a total order only among valid versions.
 */
import { compareParsedApk, tokenizeApk } from './apk.ts';
import { compareParsedDeb, parseDeb } from './deb.ts';
import { compareStrings, sign } from './digits.ts';
import { compareParsedMaven, parseMaven } from './maven.ts';
import { compareParsedPep440, parsePep440 } from './pypi.ts';
import { compareParsedRpm, parseRpm } from './rpm.ts';
import { compareParsedSemver, parseSemver } from './semver.ts';

export const VERSION_SCHEMES = ['deb', 'apk', 'rpm', 'semver', 'pypi', 'maven'] as const;
export type VersionScheme = (typeof VERSION_SCHEMES)[number];

interface Scheme<T> {
  parse(version: string): T | null;
  compare(a: T, b: T): number;
}

const scheme = <T>(parse: (v: string) => T | null, compare: (a: T, b: T) => number): Scheme<unknown> =>
  ({ parse, compare }) as Scheme<unknown>;

const SCHEMES: Record<VersionScheme, Scheme<unknown>> = {
  deb: scheme(parseDeb, compareParsedDeb),
  apk: scheme(tokenizeApk, compareParsedApk),
  rpm: scheme(parseRpm, compareParsedRpm),
  semver: scheme(parseSemver, compareParsedSemver),
  pypi: scheme(parsePep440, compareParsedPep440),
  maven: scheme(parseMaven, compareParsedMaven),
};

/**
 * Parsed versions by scheme. Advisory bounds repeat across thousands of records and the same
 * installed version meets every event of every advisory of its package, so parsing once pays.
 * Parsed values are never modified; the cache is dropped whole when it grows past its bound.
 */
const PARSE_CACHE_LIMIT = 100_000;
const parsed = new Map<VersionScheme, Map<string, unknown>>(VERSION_SCHEMES.map((s) => [s, new Map()]));

function parseCached(name: VersionScheme, version: string): unknown {
  const cache = parsed.get(name)!;
  let value = cache.get(version);
  if (value === undefined) {
    value = SCHEMES[name].parse(version);
    if (cache.size >= PARSE_CACHE_LIMIT) cache.clear();
    cache.set(version, value);
  }
  return value;
}

function schemeOf(name: VersionScheme): Scheme<unknown> {
  const found = SCHEMES[name];
  if (!found) throw new Error(`unknown version scheme "${name}" (expected one of ${VERSION_SCHEMES.join(', ')})`);
  return found;
}

/** Negative when a is older than b, 0 when they are the same version, positive when a is newer. */
export function compareVersions(name: VersionScheme, a: string, b: string): number {
  const { compare } = schemeOf(name);
  const x = parseCached(name, a);
  const y = parseCached(name, b);
  return x === null || y === null ? compareStrings(a, b) : sign(compare(x, y));
}

/** Whether the scheme can read `version` (otherwise comparisons involving it fall back to strings). */
export function isValidVersion(name: VersionScheme, version: string): boolean {
  schemeOf(name);
  return parseCached(name, version) !== null;
}
