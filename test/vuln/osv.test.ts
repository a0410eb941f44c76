import { describe, expect, it } from 'vitest';
import {
  ecosystemMatches,
  normalizePackageName,
  type OsvEvent,
  parseOsvRecord,
  releaseOf,
  severityOf,
  sortRanges,
  versionInRange,
  versionSchemeFor,
} from '../../shared/vuln/osv.ts';
import type { VersionScheme } from '../../shared/vuln/versions/index.ts';

/** Whether `version` is affected by one range, and the fix reported for it. */
function check(scheme: VersionScheme, events: OsvEvent[], version: string, type: 'ECOSYSTEM' | 'SEMVER' = 'ECOSYSTEM') {
  const [range] = sortRanges([{ type, events }], scheme);
  return versionInRange(range, version, scheme);
}

describe('OSV range evaluation', () => {
  it('introduced 0 + fixed: everything below the fix, which is reported', () => {
    const events = [{ introduced: '0' }, { fixed: '1.2.3' }];
    expect(check('semver', events, '0.0.1')).toEqual({ fixed: '1.2.3' });
    expect(check('semver', events, '1.2.2')).toEqual({ fixed: '1.2.3' });
    expect(check('semver', events, '1.2.3-rc.1')).toEqual({ fixed: '1.2.3' });
    expect(check('semver', events, '1.2.3')).toBeNull();
    expect(check('semver', events, '2.0.0')).toBeNull();
  });

  it('introduced is inclusive, fixed exclusive', () => {
    const events = [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }];
    expect(check('maven', events, '2.0-beta8')).toBeNull();
    expect(check('maven', events, '2.0-beta9')).toEqual({ fixed: '2.15.0' });
    expect(check('maven', events, '2.14.1')).toEqual({ fixed: '2.15.0' });
    expect(check('maven', events, '2.15.0')).toBeNull();
  });

  it('last_affected is inclusive and names no fix', () => {
    const events = [{ introduced: '0' }, { last_affected: '7.81.0-1ubuntu1.14' }];
    expect(check('deb', events, '7.81.0-1ubuntu1.14')).toEqual({ fixed: null });
    expect(check('deb', events, '7.81.0-1ubuntu1.13')).toEqual({ fixed: null });
    expect(check('deb', events, '7.81.0-1ubuntu1.15')).toBeNull();
  });

  it('introduced without an end: every later version (unfixed)', () => {
    expect(check('deb', [{ introduced: '0' }], '2.36-9+deb12u4')).toEqual({ fixed: null });
    expect(check('apk', [{ introduced: '1.2-r0' }], '1.1-r9')).toBeNull();
    expect(check('apk', [{ introduced: '1.2-r0' }], '1.3-r0')).toEqual({ fixed: null });
  });

  it('several intervals in one range, events in any order, each with its own fix', () => {
    const events = [{ fixed: '1.4.2' }, { introduced: '2.0.0' }, { introduced: '1.0.0' }, { fixed: '2.1.5' }];
    expect(check('semver', events, '0.9.0')).toBeNull();
    expect(check('semver', events, '1.3.0')).toEqual({ fixed: '1.4.2' });
    expect(check('semver', events, '1.5.0')).toBeNull();
    expect(check('semver', events, '2.1.0')).toEqual({ fixed: '2.1.5' });
    expect(check('semver', events, '2.1.5')).toBeNull();
  });

  it('limit caps the range', () => {
    const events = [{ introduced: '0' }, { limit: '3.0.0' }];
    expect(check('semver', events, '2.9.9')).toEqual({ fixed: null });
    expect(check('semver', events, '3.0.0')).toBeNull();
    expect(check('semver', [{ introduced: '0' }, { limit: '*' }], '9.0.0')).toEqual({ fixed: null });
  });

  it('sorts events with the ecosystem rules, not as strings', () => {
    // As strings "1.10" < "1.9"; as dpkg versions 1.9 < 1.10.
    const events = [{ introduced: '1.9' }, { fixed: '1.10' }];
    expect(check('deb', events, '1.9.5')).toEqual({ fixed: '1.10' });
  });

  it('SEMVER ranges use semver even in another ecosystem, ECOSYSTEM ranges the ecosystem rules', () => {
    // PEP 440 reads 1.0.0-1 as post-release 1 (after 1.0.0); semver as a pre-release (before it).
    const events = [{ introduced: '0' }, { fixed: '1.0.0' }];
    expect(check('pypi', events, '1.0.0-1', 'SEMVER')).toEqual({ fixed: '1.0.0' });
    expect(check('pypi', events, '1.0.0-1', 'ECOSYSTEM')).toBeNull();
  });

  it('drops GIT ranges: commits cannot be compared with installed versions', () => {
    expect(sortRanges([{ type: 'GIT', repo: 'https://example.invalid/x', events: [{ introduced: '0' }] }], 'semver')).toEqual([]);
  });
});

describe('ecosystems', () => {
  it('map to version schemes', () => {
    const expected: Record<string, VersionScheme | null> = {
      'Debian:12': 'deb',
      'Ubuntu:22.04:LTS': 'deb',
      'Alpine:v3.19': 'apk',
      Wolfi: 'apk',
      Chainguard: 'apk',
      'Red Hat:enterprise_linux:9::appstream': 'rpm',
      'Rocky Linux:9': 'rpm',
      'AlmaLinux:8': 'rpm',
      'Amazon Linux:2023': 'rpm',
      'openSUSE:Leap 15.5': 'rpm',
      'SUSE:Linux Enterprise Server 15 SP5': 'rpm',
      npm: 'semver',
      Go: 'semver',
      'crates.io': 'semver',
      PyPI: 'pypi',
      Maven: 'maven',
      RubyGems: null,
    };
    for (const [ecosystem, scheme] of Object.entries(expected)) expect(versionSchemeFor(ecosystem), ecosystem).toBe(scheme);
  });

  it('match releases in one canonical spelling', () => {
    expect(releaseOf('Debian:12.5')).toBe('12');
    expect(releaseOf('Alpine:3.19.1')).toBe('v3.19');
    expect(releaseOf('Ubuntu:22.04:LTS')).toBe('22.04');
    expect(releaseOf('Red Hat:enterprise_linux:9::appstream')).toBe('9');
    expect(releaseOf('npm')).toBeNull();
    expect(ecosystemMatches('Debian:12', 'Debian:12')).toBe(true);
    expect(ecosystemMatches('Debian:12', 'Debian:11')).toBe(false);
    expect(ecosystemMatches('Ubuntu:22.04', 'Ubuntu:22.04:LTS')).toBe(true);
    expect(ecosystemMatches('Ubuntu:22.04', 'Ubuntu:Pro:22.04:LTS')).toBe(false);
    expect(ecosystemMatches('Alpine:v3.19', 'Alpine:v3.18')).toBe(false);
    expect(ecosystemMatches('Red Hat:9', 'Red Hat:enterprise_linux:9::baseos')).toBe(true);
    expect(ecosystemMatches('Red Hat:8', 'Red Hat:enterprise_linux:9::baseos')).toBe(false);
    expect(ecosystemMatches('Rocky Linux', 'Rocky Linux:9')).toBe(true); // no release known: any
    expect(ecosystemMatches('npm', 'npm')).toBe(true);
    expect(ecosystemMatches('npm', 'PyPI')).toBe(false);
  });

  it('normalise PyPI names per PEP 503 and keep npm names case-sensitive', () => {
    expect(normalizePackageName('PyPI', 'Django')).toBe('django');
    expect(normalizePackageName('PyPI', 'zope.interface')).toBe('zope-interface');
    expect(normalizePackageName('PyPI', 'Foo__Bar-.baz')).toBe('foo-bar-baz');
    expect(normalizePackageName('npm', 'JSONStream')).toBe('JSONStream');
    expect(normalizePackageName('Maven', 'org.apache.logging.log4j:log4j-core')).toBe('org.apache.logging.log4j:log4j-core');
  });
});

describe('record checks', () => {
  it('accepts a minimal record and rejects broken shapes with the reason', () => {
    expect(parseOsvRecord({ id: 'X-1' }).id).toBe('X-1');
    expect(() => parseOsvRecord([])).toThrow(/JSON object/);
    expect(() => parseOsvRecord({ summary: 'no id' })).toThrow(/"id"/);
    expect(() => parseOsvRecord({ id: 'X-2', affected: {} })).toThrow(/"affected" must be an array/);
    expect(() => parseOsvRecord({ id: 'X-3', affected: [{ ranges: [{ type: 'SEMVER' }] }] })).toThrow(/events/);
  });
});

describe('severity', () => {
  const v3 = (score: string) => ({ type: 'CVSS_V3', score });
  it('comes from the CVSS v3 vector first, the highest when there are several', () => {
    const record = {
      id: 'X-1',
      severity: [v3('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), v3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')],
      database_specific: { severity: 'LOW' },
    };
    expect(severityOf(record)).toEqual({ severity: 'critical', score: 9.8, source: 'cvss_v3' });
  });

  it('an affected entry’s own vector wins over the record’s', () => {
    const record = { id: 'X-2', severity: [v3('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')] };
    const affected = { severity: [v3('CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N')] };
    expect(severityOf(record, affected).severity).toBe('low');
  });

  it('then database severity words (GHSA, Red Hat), Debian urgency, Ubuntu priority', () => {
    expect(severityOf({ id: 'G', database_specific: { severity: 'MODERATE' } }).severity).toBe('medium');
    expect(severityOf({ id: 'R', database_specific: { severity: 'Important' } }).severity).toBe('high');
    expect(severityOf({ id: 'D' }, { ecosystem_specific: { urgency: 'unimportant' } }).severity).toBe('low');
    expect(severityOf({ id: 'U', severity: [{ type: 'Ubuntu', score: 'high' }] })).toEqual({ severity: 'high', score: null, source: 'database' });
  });

  it('a CVSS v4-only or unscored record is reported as medium, marked unscored', () => {
    expect(severityOf({ id: 'V4', severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] })).toEqual({
      severity: 'medium',
      score: null,
      source: 'unscored',
    });
    expect(severityOf({ id: 'N' }).source).toBe('unscored');
  });
});
