/**
 * Distributions: `os-release` parsing and the OSV ecosystem each one's advisories are published
 * under, with the release where OSV scopes it. Choices, from the OSV schema's ecosystem list:
 * - `Debian:<major>` (`Debian:12`); no VERSION_ID (testing/sid) gives plain `Debian`.
 * - `Ubuntu:<YY.MM>` plus the mandatory `:LTS` suffix for LTS releases (`Ubuntu:22.04:LTS`,
 *   `Ubuntu:23.10`); LTS are the even years' `.04` releases.
 * - `Alpine:v<major>.<minor>` (`Alpine:v3.19`).
 * - `Red Hat:enterprise_linux:<major>` for RHEL and UBI. OSV scopes Red Hat records by CPE
 *   (`Red Hat:enterprise_linux:9::baseos`, `...::appstream`); a matcher treats those as this release.
 * - `Rocky Linux:<major>`, `AlmaLinux:<major>`.
 * - `Amazon Linux:<2|2023>`: OSV publishes no Amazon Linux data; the name is ours, for ALAS data
 *   converted to OSV form.
 * - `Wolfi` and `Chainguard` (rolling, no release).
 * Anything else gets `<ID>:<VERSION_ID>` (or just `<ID>`), which no OSV data matches: its packages
 * are listed but cannot be assessed.
 */
import type { OsRelease } from './model.ts';

/** `KEY=value` lines, values optionally quoted (shell-style escapes inside double quotes). */
export function parseOsReleaseFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (value.length >= 2 && value[0] === '"' && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    else if (value.length >= 2 && value[0] === "'" && value.endsWith("'")) value = value.slice(1, -1);
    fields[m[1]] = value;
  }
  return fields;
}

export function osReleaseFrom(fields: Record<string, string>): OsRelease | null {
  const id = fields.ID?.toLowerCase();
  if (!id) return null;
  const os: OsRelease = { id, versionId: fields.VERSION_ID || null, prettyName: fields.PRETTY_NAME || null };
  // Google's distroless images ship a Debian os-release whose PRETTY_NAME says so.
  if (/^distroless\b/i.test(fields.PRETTY_NAME ?? '')) os.distroless = true;
  return os;
}

const major = (version: string) => version.split('.')[0];

/** The OSV ecosystem for a distro's packages; `format` picks the fallback when the OS is unknown. */
export function osvEcosystem(os: OsRelease | null | undefined, format: 'deb' | 'apk' | 'rpm'): string {
  if (!os) return { deb: 'Debian', apk: 'Alpine', rpm: 'Red Hat' }[format];
  const v = os.versionId;
  switch (os.id) {
    case 'debian':
      return v ? `Debian:${major(v)}` : 'Debian';
    case 'ubuntu': {
      const release = v ? /^(\d+)\.(\d+)/.exec(v) : null;
      if (!release) return 'Ubuntu';
      const lts = Number(release[1]) % 2 === 0 && release[2] === '04';
      return `Ubuntu:${release[1]}.${release[2]}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      const release = v ? /^(\d+)\.(\d+)/.exec(v) : null;
      return release ? `Alpine:v${release[1]}.${release[2]}` : 'Alpine';
    }
    case 'rhel':
      return v ? `Red Hat:enterprise_linux:${major(v)}` : 'Red Hat';
    case 'rocky':
      return v ? `Rocky Linux:${major(v)}` : 'Rocky Linux';
    case 'almalinux':
      return v ? `AlmaLinux:${major(v)}` : 'AlmaLinux';
    case 'amzn':
      return v ? `Amazon Linux:${major(v)}` : 'Amazon Linux';
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    default:
      return v ? `${os.id}:${v}` : os.id;
  }
}
