// Matcher results (shared/vuln/match.ts) as check hits: IMG-080 (OS package), IMG-081 (language
// package, located at its lockfile or binary), IMG-082 (OS package with no fixed version).
import type { VulnerabilityMatch } from '../../vuln/match.ts';
import type { ImageHit } from './check.ts';

export function vulnerabilityHit(match: VulnerabilityMatch, where: 'os' | 'language'): ImageHit {
  const fix = match.fixedVersion ? `fixed in ${match.fixedVersion}` : 'no fixed version yet';
  const via = match.matchedName !== match.package ? ` (source package ${match.matchedName} ${match.matchedVersion})` : '';
  const summary = match.summary ? `: ${match.summary.length > 160 ? `${match.summary.slice(0, 157)}...` : match.summary}` : '';
  return {
    message: `${match.id} in ${match.package} ${match.installedVersion}${via}, ${fix}${summary}`,
    severity: match.severity,
    path: where === 'language' ? match.installed.path : null,
    layerDigest: match.installed.layerDigest,
    vulnerability: {
      id: match.id,
      aliases: match.aliases,
      package: match.package,
      installedVersion: match.installedVersion,
      fixedVersion: match.fixedVersion,
      ecosystem: match.ecosystem,
      fixAvailable: match.fixAvailable,
      cvssScore: match.cvssScore,
    },
    // Not the installed version: an upgrade that is still vulnerable stays the same finding.
    field: `vuln:${match.id}:${match.ecosystem}:${match.package}${where === 'language' ? `:${match.installed.path}` : ''}`,
  };
}
