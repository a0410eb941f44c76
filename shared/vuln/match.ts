/**
 * Matches installed packages against the vulnerability index.
 *
 * Which name and version meet the advisories:
 * - Debian and Ubuntu key advisories on source packages: the source name, and the source version
 *   when the package records one (dpkg omits it when it equals the binary version, and binNMU
 *   rebuilds `+bN` only exist as binary versions) - otherwise the binary version.
 * - Alpine, Wolfi and Chainguard key them on the origin package (`o:` in the apk database), whose
 *   version every subpackage shares.
 * - RPM distros (Red Hat, Rocky, Alma, Amazon, SUSE) key them on binary RPM names.
 * - npm, Go, crates.io exactly by name; PyPI by PEP 503 name; Maven by `group:artifact`.
 *
 * An advisory affected entry applies when its ecosystem and release match the package's
 * (`Debian:12`); the version is affected when it is listed in `versions` or lies in one of the
 * ECOSYSTEM/SEMVER ranges. A match without a `fixed` event is still reported, with
 * `fixAvailable: false` (IMG-082): policy decides whether to hide it, the matcher never drops it.
 */
import type { Severity } from '../findings/finding.ts';
import type { InstalledPackage } from '../image/model.ts';
import type { EcosystemIndex, IndexedAdvisory, IndexedAffected, VulnDb } from './index-db.ts';
import { ecosystemBase, ecosystemMatches, isSourceKeyed, normalizePackageName, type SeveritySource, versionInRange, versionSchemeFor } from './osv.ts';
import type { VersionScheme } from './versions/index.ts';

export interface VulnerabilityMatch {
  /** Advisory id (`CVE-...`, `GHSA-...`, `DSA-...`, `ALPINE-CVE-...`). */
  id: string;
  aliases: string[];
  /** The installed (binary) package name and version, as the image has them. */
  package: string;
  installedVersion: string;
  /** Name and version the advisory was matched on (the source package for Debian/Ubuntu/Alpine). */
  matchedName: string;
  matchedVersion: string;
  fixedVersion: string | null;
  fixAvailable: boolean;
  /** The package's ecosystem (`Debian:12`, `npm`). */
  ecosystem: string;
  /** The advisory entry's ecosystem (`Debian:12`, `Ubuntu:22.04:LTS`). */
  advisoryEcosystem: string;
  severity: Severity;
  cvssScore: number | null;
  severitySource: SeveritySource;
  summary: string | null;
  installed: InstalledPackage;
}

export interface MatchOutcome {
  matches: VulnerabilityMatch[];
  /** Packages of ecosystems the matcher has no version rules for. */
  unsupported: InstalledPackage[];
  /** Base ecosystems the image has packages of but the data does not cover. */
  missingData: string[];
}

/** Name and version the advisories of the package's ecosystem are keyed on. */
export function matchKey(pkg: InstalledPackage): { name: string; version: string } {
  if (isSourceKeyed(pkg.ecosystem)) {
    return { name: pkg.sourceName || pkg.name, version: pkg.sourceVersion || pkg.version };
  }
  return { name: pkg.name, version: pkg.version };
}

interface Hit {
  affected: IndexedAffected;
  fixed: string | null;
}

/** The affected entry the version falls in, preferring one that names a fix. */
function findHit(advisory: IndexedAdvisory, pkg: InstalledPackage, version: string, scheme: VersionScheme): Hit | null {
  let best: Hit | null = null;
  for (const affected of advisory.affected) {
    if (!ecosystemMatches(pkg.ecosystem, affected.ecosystem)) continue;
    for (const range of affected.ranges) {
      const hit = versionInRange(range, version, scheme);
      if (hit && (!best || (best.fixed === null && hit.fixed !== null))) best = { affected, fixed: hit.fixed };
      if (best?.fixed) return best;
    }
    if (!best && affected.versions?.includes(version)) best = { affected, fixed: null };
  }
  return best;
}

/** Matches packages against loaded ecosystem indexes (synchronous: the indexes are in memory). */
export function matchAgainst(indexes: ReadonlyMap<string, EcosystemIndex>, packages: readonly InstalledPackage[]): Omit<MatchOutcome, 'missingData'> {
  const matches: VulnerabilityMatch[] = [];
  const unsupported: InstalledPackage[] = [];
  for (const pkg of packages) {
    const scheme = versionSchemeFor(pkg.ecosystem);
    if (!scheme) {
      unsupported.push(pkg);
      continue;
    }
    const index = indexes.get(ecosystemBase(pkg.ecosystem));
    if (!index) continue;
    const key = matchKey(pkg);
    const seen = new Set<string>();
    for (const advisory of index.advisories(normalizePackageName(pkg.ecosystem, key.name))) {
      if (seen.has(advisory.id)) continue;
      const hit = findHit(advisory, pkg, key.version, scheme);
      if (!hit) continue;
      seen.add(advisory.id);
      const severity = hit.affected.severity ?? advisory.severity;
      matches.push({
        id: advisory.id,
        aliases: advisory.aliases,
        package: pkg.name,
        installedVersion: pkg.version,
        matchedName: key.name,
        matchedVersion: key.version,
        fixedVersion: hit.fixed,
        fixAvailable: hit.fixed !== null,
        ecosystem: pkg.ecosystem,
        advisoryEcosystem: hit.affected.ecosystem,
        severity: severity.severity,
        cvssScore: severity.score,
        severitySource: severity.source,
        summary: advisory.summary,
        installed: pkg,
      });
    }
  }
  return { matches, unsupported };
}

/** Loads the ecosystems the packages need from the database, then matches. */
export async function matchPackages(db: VulnDb, packages: readonly InstalledPackage[]): Promise<MatchOutcome> {
  const needed = new Set(packages.filter((p) => versionSchemeFor(p.ecosystem)).map((p) => ecosystemBase(p.ecosystem)));
  const indexes = new Map<string, EcosystemIndex>();
  const missingData: string[] = [];
  for (const ecosystem of [...needed].sort()) {
    const index = await db.ecosystem(ecosystem);
    if (index) indexes.set(ecosystem, index);
    else missingData.push(ecosystem);
  }
  return { ...matchAgainst(indexes, packages), missingData };
}
