import { beforeAll, describe, expect, it } from 'vitest';
import { openVulnDb, type VulnDb } from '../../shared/vuln/index-db.ts';
import { matchPackages, type VulnerabilityMatch } from '../../shared/vuln/match.ts';
import { installed, OSV_FIXTURES } from './helpers.ts';

let db: VulnDb;
beforeAll(async () => {
  db = await openVulnDb(OSV_FIXTURES);
});

async function matchOne(pkg: ReturnType<typeof installed>): Promise<VulnerabilityMatch[]> {
  return (await matchPackages(db, [pkg])).matches;
}

describe('distro packages', () => {
  it('Debian: matches the source package, reports the binary one, with the fix for that release', async () => {
    const [match, ...rest] = await matchOne(installed('Debian:12', 'libssl3', '3.0.11-1~deb12u1', { name: 'openssl' }));
    expect(rest).toEqual([]);
    expect(match).toMatchObject({
      id: 'DEBIAN-CVE-2099-1001',
      package: 'libssl3',
      installedVersion: '3.0.11-1~deb12u1',
      matchedName: 'openssl',
      fixedVersion: '3.0.11-1~deb12u2',
      fixAvailable: true,
      ecosystem: 'Debian:12',
      advisoryEcosystem: 'Debian:12',
      severity: 'high',
      cvssScore: 7.5,
      severitySource: 'cvss_v3',
    });
    expect(await matchOne(installed('Debian:12', 'libssl3', '3.0.11-1~deb12u2', { name: 'openssl' }))).toEqual([]);
    // The Debian 11 entry has its own fix.
    const [bullseye] = await matchOne(installed('Debian:11', 'libssl1.1', '1.1.1n-0+deb11u5', { name: 'openssl' }));
    expect(bullseye.fixedVersion).toBe('1.1.1w-0+deb11u1');
    // No data for another release: no match.
    expect(await matchOne(installed('Debian:10', 'libssl1.1', '1.1.1n-0+deb10u3', { name: 'openssl' }))).toEqual([]);
  });

  it('Debian: the source version counts when the package records one (binNMU rebuilds)', async () => {
    const pkg = installed('Debian:12', 'libssl3', '3.0.11-1~deb12u2+b1', { name: 'openssl', version: '3.0.11-1~deb12u1' });
    const [match] = await matchOne(pkg);
    expect(match).toMatchObject({ installedVersion: '3.0.11-1~deb12u2+b1', matchedVersion: '3.0.11-1~deb12u1' });
  });

  it('an unfixed vulnerability is reported with fixAvailable false (IMG-082), never dropped', async () => {
    const [match] = await matchOne(installed('Debian:12', 'libc6', '2.36-9+deb12u4', { name: 'glibc' }));
    expect(match).toMatchObject({
      id: 'DEBIAN-CVE-2099-1002',
      package: 'libc6',
      fixedVersion: null,
      fixAvailable: false,
      severity: 'low',
      summary: 'glibc: an issue with no fix yet in bookworm (fixture).',
    });
  });

  it('Alpine: matches the origin package within the same release', async () => {
    const [match] = await matchOne(installed('Alpine:v3.19', 'libcrypto3', '3.1.4-r0', { name: 'openssl' }));
    expect(match).toMatchObject({ id: 'ALPINE-CVE-2099-2001', aliases: ['CVE-2099-2001'], fixedVersion: '3.1.4-r1', severity: 'high' });
    expect(await matchOne(installed('Alpine:v3.19', 'libcrypto3', '3.1.4-r1', { name: 'openssl' }))).toEqual([]);
    expect(await matchOne(installed('Alpine:v3.18', 'libcrypto3', '3.1.4-r0', { name: 'openssl' }))).toEqual([]);
  });

  it('Ubuntu: last_affected is inclusive and gives no fix', async () => {
    const [match] = await matchOne(installed('Ubuntu:22.04', 'curl', '7.81.0-1ubuntu1.14', { name: 'curl' }));
    expect(match).toMatchObject({ advisoryEcosystem: 'Ubuntu:22.04:LTS', fixAvailable: false, severity: 'medium' });
    expect(await matchOne(installed('Ubuntu:22.04', 'curl', '7.81.0-1ubuntu1.15', { name: 'curl' }))).toEqual([]);
  });

  it('Red Hat: binary RPM name, epoch-aware version', async () => {
    const [match] = await matchOne(installed('Red Hat:9', 'openssl-libs', '1:3.0.7-24.el9', { name: 'openssl' }));
    expect(match).toMatchObject({ id: 'RHSA-2099:5001', matchedName: 'openssl-libs', fixedVersion: '1:3.0.7-25.el9_3', severity: 'medium' });
    // Without the epoch 3.0.7-99 is older than 1:3.0.7-25.
    expect(await matchOne(installed('Red Hat:9', 'openssl-libs', '3.0.7-99.el9'))).toHaveLength(1);
    expect(await matchOne(installed('Red Hat:9', 'openssl-libs', '1:3.0.7-25.el9_3'))).toEqual([]);
  });
});

describe('language packages', () => {
  it('npm: exact, case-sensitive name; SEMVER range', async () => {
    const [match] = await matchOne(installed('npm', 'lodash', '4.17.20'));
    expect(match).toMatchObject({ id: 'GHSA-f1x7-0001-aaaa', fixedVersion: '4.17.21', severity: 'high', severitySource: 'database' });
    expect(await matchOne(installed('npm', 'Lodash', '4.17.20'))).toEqual([]);
    expect(await matchOne(installed('npm', 'lodash', '4.17.21'))).toEqual([]);
  });

  it('a withdrawn record never matches', async () => {
    const ids = (await matchOne(installed('npm', 'lodash', '4.17.20'))).map((m) => m.id);
    expect(ids).not.toContain('GHSA-f1x7-0009-zzzz');
  });

  it('PyPI: PEP 503 names and PEP 440 versions', async () => {
    const [match] = await matchOne(installed('PyPI', 'DJANGO', '4.2.7'));
    expect(match).toMatchObject({ id: 'GHSA-f1x7-0002-bbbb', fixedVersion: '4.2.8', severity: 'critical', cvssScore: 9.8 });
    expect(await matchOne(installed('PyPI', 'django', '4.2.8'))).toEqual([]);
    expect(await matchOne(installed('PyPI', 'django', '3.2.23'))).toEqual([]);
    expect(await matchOne(installed('PyPI', 'django', '4.2rc1'))).toHaveLength(1); // between 4.0 and 4.2.8
  });

  it('Maven: group:artifact; one GHSA can name packages of several ecosystems', async () => {
    const [log4j] = await matchOne(installed('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'));
    expect(log4j).toMatchObject({ severity: 'critical', cvssScore: 10, fixedVersion: '2.15.0' });
    expect(await matchOne(installed('Maven', 'org.apache.logging.log4j:log4j-core', '2.0-beta8'))).toEqual([]);
    const [webjar] = await matchOne(installed('Maven', 'org.webjars.npm:lodash', '4.17.20'));
    expect(webjar.id).toBe('GHSA-f1x7-0001-aaaa');
  });

  it('Go: module path, v-prefixed versions against an unprefixed range', async () => {
    const [match] = await matchOne(installed('Go', 'golang.org/x/net', 'v0.16.0'));
    expect(match).toMatchObject({ id: 'GO-2099-4001', fixedVersion: '0.17.0', severity: 'medium', severitySource: 'unscored' });
    expect(await matchOne(installed('Go', 'golang.org/x/net', 'v0.17.0'))).toEqual([]);
    expect(await matchOne(installed('Go', 'golang.org/x/net', 'v0.0.0-20230101000000-abcdef123456'))).toHaveLength(1);
  });
});

describe('what cannot be matched is said, not hidden', () => {
  it('reports unsupported ecosystems and ecosystems without data', async () => {
    const outcome = await matchPackages(db, [
      installed('RubyGems', 'rack', '2.0.0'),
      installed('Wolfi', 'openssl', '3.1.4-r0'),
      installed('npm', 'left-pad', '1.0.0'),
    ]);
    expect(outcome.matches).toEqual([]);
    expect(outcome.unsupported.map((p) => p.name)).toEqual(['rack']);
    expect(outcome.missingData).toEqual(['Wolfi']);
  });
});
