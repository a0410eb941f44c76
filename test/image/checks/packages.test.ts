import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openVulnDb } from '../../../shared/vuln/index-db.ts';
import type { LayerSpec } from './build-image.ts';
import { BASE_FILES, goodImage, NOW, ofRule, scanSpec } from './support.ts';

const ROOTFS = '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ';

const stanza = (name: string, version: string, source?: string) =>
  `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: ${name}\n`;

const DPKG_STATUS = [
  stanza('openssl', '3.0.9-1'),
  stanza('libssl3', '3.0.9-1', 'openssl'),
  stanza('openssh-server', '1:9.2p1-2+deb12u1', 'openssh'),
  stanza('sudo', '1.9.13p3-1+deb12u1'),
  stanza('netcat-openbsd', '1.219-1'),
  stanza('gcc-12', '12.2.0-14', 'gcc-12'),
  stanza('tar', '1.34+dfsg-1.2'),
].join('\n');

const PACKAGE_LOCK = JSON.stringify({
  name: 'web',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'web', version: '1.0.0', dependencies: { lodash: '^4.17.0', express: '^4.19.2' } },
    'node_modules/lodash': { version: '4.17.20', resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz' },
    'node_modules/express': { version: '4.19.2', resolved: 'https://registry.npmjs.org/express/-/express-4.19.2.tgz' },
  },
});

const CRITICAL_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** OSV records we write ourselves: a fixed Debian advisory, an unfixed one, an npm one. */
const OSV = [
  {
    id: 'DSA-9001-1',
    modified: '2026-02-01T00:00:00Z',
    aliases: ['CVE-2026-10001'],
    summary: 'openssl: buffer overread in a certificate parser',
    affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }] }],
    severity: [{ type: 'CVSS_V3', score: CRITICAL_VECTOR }],
  },
  {
    id: 'CVE-2026-10002',
    modified: '2026-02-01T00:00:00Z',
    summary: 'tar: path traversal in an archive member name',
    affected: [{ package: { ecosystem: 'Debian:12', name: 'tar' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], database_specific: { urgency: 'low' } }],
  },
  {
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2026-02-01T00:00:00Z',
    aliases: ['CVE-2026-10003'],
    summary: 'Prototype pollution in lodash',
    affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N' }],
  },
];

function osvFolder(ageDays: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-osv-'));
  OSV.forEach((record) => {
    const file = join(dir, `${record.id}.json`);
    writeFileSync(file, JSON.stringify(record));
    const when = new Date(NOW.getTime() - ageDays * 86400_000);
    utimesSync(file, when, when);
  });
  return dir;
}

const image = (): ReturnType<typeof goodImage> => {
  const layers: LayerSpec[] = [
    { createdBy: ROOTFS, files: { ...BASE_FILES, 'var/lib/dpkg/status': DPKG_STATUS } },
    { createdBy: 'COPY . /app # buildkit', files: { 'app/package-lock.json': PACKAGE_LOCK } },
  ];
  return goodImage({ layers });
};

describe('package inventory checks and vulnerabilities', () => {
  it('IMG-005, IMG-029 and IMG-064 read the installed OS packages', async () => {
    const result = await scanSpec(image());
    expect(ofRule(result, 'IMG-005').map((f) => f.message)).toEqual([expect.stringMatching(/^SSH server package openssh-server 1:9\.2p1/)]);
    expect(ofRule(result, 'IMG-029').map((f) => f.message)).toEqual([expect.stringMatching(/^package sudo /)]);
    expect(ofRule(result, 'IMG-064').map((f) => f.message).sort()).toEqual([expect.stringMatching(/^package gcc-12 /), expect.stringMatching(/^package netcat-openbsd /)]);
    expect(result.notices).toContainEqual({ file: null, message: expect.stringContaining('no vulnerability data given') });
    expect(result.findings.filter((f) => /^IMG-08/.test(f.ruleId))).toEqual([]);
  });

  it('IMG-080 (fixed, by source package), IMG-082 (unfixed, fixAvailable false) and IMG-081 (npm, at its lockfile)', async () => {
    const vulnDb = await openVulnDb(osvFolder(1));
    const result = await scanSpec(image(), { vulnDb });

    const os = ofRule(result, 'IMG-080').sort((a, b) => String(a.vulnerability?.package).localeCompare(String(b.vulnerability?.package)));
    expect(os.map((f) => [f.vulnerability?.package, f.severity])).toEqual([
      ['libssl3', 'critical'],
      ['openssl', 'critical'],
    ]);
    expect(os[0].vulnerability).toEqual({ id: 'DSA-9001-1', aliases: ['CVE-2026-10001'], package: 'libssl3', installedVersion: '3.0.9-1', fixedVersion: '3.0.11-1~deb12u2', ecosystem: 'Debian:12', fixAvailable: true, cvssScore: 9.8 });
    expect(os[0].location).toBeNull();

    const unfixed = ofRule(result, 'IMG-082');
    expect(unfixed).toEqual([expect.objectContaining({ vulnerability: expect.objectContaining({ id: 'CVE-2026-10002', package: 'tar', fixedVersion: null, fixAvailable: false }) })]);

    const npm = ofRule(result, 'IMG-081');
    expect(npm).toEqual([expect.objectContaining({ location: { file: '/app/package-lock.json', line: null }, vulnerability: expect.objectContaining({ id: 'GHSA-aaaa-bbbb-cccc', package: 'lodash', installedVersion: '4.17.20', fixedVersion: '4.17.21', ecosystem: 'npm', fixAvailable: true }) })]);
    expect(result.notices).toContainEqual({ file: expect.any(String), message: expect.stringMatching(/^vulnerability data [0-9a-f]+ \(osv\), updated .*, 1\.0 days old$/) });
    expect(result.notices.some((n) => n.message.startsWith('warning:'))).toBe(false);
  });

  it('a stale vulnerability database is a warning on the result', async () => {
    const vulnDb = await openVulnDb(osvFolder(30));
    const result = await scanSpec(image(), { vulnDb });
    expect(result.notices).toContainEqual({ file: expect.any(String), message: expect.stringMatching(/^warning: the vulnerability data is 30 days old \(more than 7\)/) });
    expect(ofRule(result, 'IMG-080')).toHaveLength(2);
  });

  it('an upgrade that is still vulnerable keeps the finding identity; a fixed version drops it', async () => {
    const vulnDb = await openVulnDb(osvFolder(1));
    const before = ofRule(await scanSpec(image(), { vulnDb }), 'IMG-080');
    const upgraded = image();
    upgraded.layers[0].files!['var/lib/dpkg/status'] = DPKG_STATUS.replaceAll('3.0.9-1', '3.0.10-1');
    const after = ofRule(await scanSpec(upgraded, { vulnDb }), 'IMG-080');
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(after[0].vulnerability?.installedVersion).toBe('3.0.10-1');
    const fixed = image();
    fixed.layers[0].files!['var/lib/dpkg/status'] = DPKG_STATUS.replaceAll('3.0.9-1', '3.0.11-1~deb12u2');
    expect(ofRule(await scanSpec(fixed, { vulnDb }), 'IMG-080')).toEqual([]);
  });
});
