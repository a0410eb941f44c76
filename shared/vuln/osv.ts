/**
 * The OSV record format (https://ossf.github.io/osv-schema/) as far as matching needs it, the
 * ecosystem -> version scheme map, release and package-name normalisation, range evaluation and
 * severity derivation.
 */
import type { Severity } from '../findings/finding.ts';
import { cvss3BaseScore, severityFromScore } from './cvss.ts';
import { compareVersions, type VersionScheme } from './versions/index.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: OsvSeverity[];
  ranges?: OsvRange[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  database_specific?: Record<string, unknown>;
}

export class OsvFormatError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape matching relies on (an id, and arrays where arrays belong); other fields pass
 * through untouched. Throws OsvFormatError naming what is wrong.
 */
export function parseOsvRecord(value: unknown): OsvRecord {
  if (!isObject(value)) throw new OsvFormatError('an OSV record must be a JSON object');
  if (typeof value.id !== 'string' || value.id === '') throw new OsvFormatError('an OSV record needs a string "id"');
  for (const key of ['aliases', 'severity', 'affected'] as const) {
    if (value[key] !== undefined && !Array.isArray(value[key])) throw new OsvFormatError(`${value.id}: "${key}" must be an array`);
  }
  for (const affected of (value.affected as unknown[] | undefined) ?? []) {
    if (!isObject(affected)) throw new OsvFormatError(`${value.id}: every "affected" entry must be an object`);
    if (affected.ranges !== undefined && !Array.isArray(affected.ranges)) throw new OsvFormatError(`${value.id}: "ranges" must be an array`);
    if (affected.versions !== undefined && !Array.isArray(affected.versions)) throw new OsvFormatError(`${value.id}: "versions" must be an array`);
    for (const range of (affected.ranges as unknown[] | undefined) ?? []) {
      if (!isObject(range) || typeof range.type !== 'string' || !Array.isArray(range.events)) {
        throw new OsvFormatError(`${value.id}: a range needs a "type" and an "events" array`);
      }
    }
  }
  return value as unknown as OsvRecord;
}

// --- ecosystems ------------------------------------------------------------------------------

/** OSV base ecosystem (the part before the first `:`) -> version scheme. */
const SCHEMES: Record<string, VersionScheme> = {
  Debian: 'deb',
  Ubuntu: 'deb',
  Alpine: 'apk',
  Wolfi: 'apk',
  Chainguard: 'apk',
  'Red Hat': 'rpm',
  'Rocky Linux': 'rpm',
  AlmaLinux: 'rpm',
  'Amazon Linux': 'rpm',
  openSUSE: 'rpm',
  SUSE: 'rpm',
  npm: 'semver',
  Go: 'semver',
  'crates.io': 'semver',
  PyPI: 'pypi',
  Maven: 'maven',
};

/**
 * Distros whose advisories name the source package (Debian and Ubuntu: the source package;
 * Alpine, Wolfi and Chainguard: the origin package of the APKBUILD, which is what their secdb and
 * OSV records list - `openssl` covers `libssl3` and `libcrypto3`). The RPM distros publish
 * advisories per binary RPM, so those match on the binary name.
 */
const SOURCE_KEYED = new Set(['Debian', 'Ubuntu', 'Alpine', 'Wolfi', 'Chainguard']);

export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return (colon < 0 ? ecosystem : ecosystem.slice(0, colon)).trim();
}

export function versionSchemeFor(ecosystem: string): VersionScheme | null {
  return SCHEMES[ecosystemBase(ecosystem)] ?? null;
}

export function supportedEcosystems(): string[] {
  return Object.keys(SCHEMES);
}

export function isSourceKeyed(ecosystem: string): boolean {
  return SOURCE_KEYED.has(ecosystemBase(ecosystem));
}

/**
 * The release part of an ecosystem in one canonical spelling, so an image's `Debian:12.5` meets
 * OSV's `Debian:12`, `Ubuntu:22.04` meets `Ubuntu:22.04:LTS`, `Alpine:3.19.1` meets
 * `Alpine:v3.19` and `Red Hat:9` meets `Red Hat:enterprise_linux:9::appstream`. Null when the
 * ecosystem names no release (language ecosystems, Wolfi).
 */
export function releaseOf(ecosystem: string): string | null {
  let release = releases.get(ecosystem);
  if (release === undefined) {
    release = canonicalRelease(ecosystem);
    if (releases.size >= 10_000) releases.clear();
    releases.set(ecosystem, release);
  }
  return release;
}

/** Releases by ecosystem string: a handful of distinct strings, asked for on every affected entry. */
const releases = new Map<string, string | null>();

function canonicalRelease(ecosystem: string): string | null {
  const colon = ecosystem.indexOf(':');
  if (colon < 0) return null;
  const rest = ecosystem.slice(colon + 1).trim();
  if (rest === '') return null;
  switch (ecosystemBase(ecosystem)) {
    case 'Debian':
    case 'Rocky Linux':
    case 'AlmaLinux':
    case 'Amazon Linux':
      return /^(\d+)/.exec(rest)?.[1] ?? rest;
    case 'Ubuntu':
      return rest.replace(/:LTS$/i, '');
    case 'Alpine': {
      const m = /^v?(\d+)\.(\d+)/.exec(rest);
      return m ? `v${m[1]}.${m[2]}` : rest;
    }
    case 'Red Hat':
      return /(?:^|:)(\d+)/.exec(rest)?.[1] ?? rest;
    default:
      return rest;
  }
}

/** An installed package's ecosystem matches an advisory's when bases agree and so do releases (if the image names one). */
export function ecosystemMatches(installed: string, advisory: string): boolean {
  if (ecosystemBase(installed) !== ecosystemBase(advisory)) return false;
  const release = releaseOf(installed);
  return release === null || release === releaseOf(advisory);
}

/** Package names as the ecosystem compares them: PyPI per PEP 503, everything else exactly (npm is case-sensitive). */
export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  return ecosystemBase(ecosystem) === 'PyPI' ? trimmed.toLowerCase().replace(/[-_.]+/g, '-') : trimmed;
}

// --- ranges --------------------------------------------------------------------------------------

/** A range with its events sorted (introduced `0` first), ready to walk. */
export interface SortedRange {
  type: 'ECOSYSTEM' | 'SEMVER';
  events: OsvEvent[];
}

function eventVersion(event: OsvEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
}

/**
 * Keeps the ranges a version can be matched against (ECOSYSTEM, SEMVER; GIT ranges name commits),
 * each with its events in version order, as OSV's evaluation requires.
 */
export function sortRanges(ranges: readonly OsvRange[], scheme: VersionScheme): SortedRange[] {
  const out: SortedRange[] = [];
  for (const range of ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
    const rangeScheme = range.type === 'SEMVER' ? 'semver' : scheme;
    const events = range.events.filter((e) => typeof eventVersion(e) === 'string' && eventVersion(e) !== '');
    events.sort((a, b) => {
      if (a.introduced === '0') return b.introduced === '0' ? 0 : -1;
      if (b.introduced === '0') return 1;
      return compareVersions(rangeScheme, eventVersion(a), eventVersion(b));
    });
    out.push({ type: range.type, events });
  }
  return out;
}

export interface RangeHit {
  /** The `fixed` event that ends the affected interval holding the version, or null. */
  fixed: string | null;
}

/**
 * Whether `version` lies in the range: at or above an `introduced` (or `0`) and below the next
 * `fixed`, or at or below the next `last_affected`; and below a `limit` when the range has any.
 */
export function versionInRange(range: SortedRange, version: string, scheme: VersionScheme): RangeHit | null {
  const compare = (other: string) => compareVersions(range.type === 'SEMVER' ? 'semver' : scheme, version, other);
  const limits = range.events.filter((e) => e.limit !== undefined);
  if (limits.length > 0 && !limits.some((e) => e.limit === '*' || compare(e.limit!) < 0)) return null;
  let affected = false;
  for (const event of range.events) {
    if (event.introduced !== undefined) {
      if (event.introduced !== '0' && compare(event.introduced) < 0) break;
      affected = true;
    } else if (event.fixed !== undefined) {
      if (compare(event.fixed) < 0) return affected ? { fixed: event.fixed } : null;
      affected = false;
    } else if (event.last_affected !== undefined) {
      if (compare(event.last_affected) <= 0) return affected ? { fixed: null } : null;
      affected = false;
    }
  }
  return affected ? { fixed: null } : null;
}

// --- severity ------------------------------------------------------------------------------------

export type SeveritySource = 'cvss_v3' | 'database' | 'unscored';

export interface SeverityVerdict {
  severity: Severity;
  /** CVSS v3 base score when the severity came from a vector. */
  score: number | null;
  source: SeveritySource;
}

/**
 * A record with neither a CVSS v3 vector nor a severity word (many distro records, and CVSS v4-only
 * ones, which this scanner does not score) is reported as medium: visible, never dropped, and
 * neither alarming nor hidden by a `high` threshold by accident of missing data.
 */
export const UNSCORED: SeverityVerdict = { severity: 'medium', score: null, source: 'unscored' };

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  none: 'info',
};

function fromVectors(list: OsvSeverity[] | undefined): SeverityVerdict | null {
  let best: number | null = null;
  for (const entry of list ?? []) {
    if (entry?.type !== 'CVSS_V3' || typeof entry.score !== 'string') continue;
    const score = cvss3BaseScore(entry.score);
    if (score !== null && (best === null || score > best)) best = score;
  }
  return best === null ? null : { severity: severityFromScore(best), score: best, source: 'cvss_v3' };
}

function fromWord(value: unknown): SeverityVerdict | null {
  if (typeof value !== 'string') return null;
  const severity = WORDS[value.trim().toLowerCase()];
  return severity ? { severity, score: null, source: 'database' } : null;
}

function fromSeverityWords(list: OsvSeverity[] | undefined): SeverityVerdict | null {
  for (const entry of list ?? []) {
    // Ubuntu publishes its priority as a severity entry of type "Ubuntu".
    if (entry?.type === 'Ubuntu') {
      const verdict = fromWord(entry.score);
      if (verdict) return verdict;
    }
  }
  return null;
}

/**
 * Severity of an advisory for one affected entry: a CVSS v3 vector (the entry's own, then the
 * record's) wins; then a severity word from the entry (`ecosystem_specific`/`database_specific`
 * `severity`, Debian's `urgency`), the record's `database_specific.severity` (GHSA's
 * LOW/MODERATE/HIGH/CRITICAL, Red Hat's Important/Moderate) or an Ubuntu priority.
 */
export function severityOf(record: OsvRecord, affected?: OsvAffected): SeverityVerdict {
  return (
    fromVectors(affected?.severity) ??
    fromVectors(record.severity) ??
    fromWord(affected?.ecosystem_specific?.severity) ??
    fromWord(affected?.database_specific?.severity) ??
    fromWord(affected?.ecosystem_specific?.urgency) ??
    fromWord(record.database_specific?.severity) ??
    fromSeverityWords(affected?.severity) ??
    fromSeverityWords(record.severity) ??
    UNSCORED
  );
}
