import { describe, expect, it } from 'vitest';
import { osReleaseFrom, osvEcosystem, parseOsReleaseFields } from '../../../shared/image/distro.ts';
import { analyze } from './analyze.ts';

const osRelease = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';

describe('os-release analyzer', () => {
  it.each([
    ['Debian', { ID: 'debian', VERSION_ID: '"12"', PRETTY_NAME: '"Debian GNU/Linux 12 (bookworm)"' }, 'Debian:12'],
    ['Ubuntu LTS', { ID: 'ubuntu', VERSION_ID: '"22.04"', VERSION: '"22.04.4 LTS (Jammy Jellyfish)"' }, 'Ubuntu:22.04:LTS'],
    ['Ubuntu interim', { ID: 'ubuntu', VERSION_ID: '"23.10"' }, 'Ubuntu:23.10'],
    ['Alpine', { ID: 'alpine', VERSION_ID: '3.19.1', PRETTY_NAME: '"Alpine Linux v3.19"' }, 'Alpine:v3.19'],
    ['Amazon Linux 2023', { NAME: '"Amazon Linux"', ID: '"amzn"', VERSION_ID: '"2023"' }, 'Amazon Linux:2023'],
    ['Amazon Linux 2', { ID: '"amzn"', VERSION_ID: '"2"' }, 'Amazon Linux:2'],
    ['RHEL / UBI', { ID: '"rhel"', VERSION_ID: '"9.4"', PRETTY_NAME: '"Red Hat Enterprise Linux 9.4 (Plow)"' }, 'Red Hat:enterprise_linux:9'],
    ['Rocky', { ID: '"rocky"', VERSION_ID: '"9.3"' }, 'Rocky Linux:9'],
    ['AlmaLinux', { ID: '"almalinux"', VERSION_ID: '"8.9"' }, 'AlmaLinux:8'],
    ['Wolfi', { ID: 'wolfi', VERSION_ID: '20230201' }, 'Wolfi'],
    ['Chainguard', { ID: 'chainguard' }, 'Chainguard'],
    ['an unknown distro', { ID: 'gentoo', VERSION_ID: '2.15' }, 'gentoo:2.15'],
  ])('detects %s', async (_, fields, ecosystem) => {
    const image = await analyze({ 'etc/os-release': osRelease(fields) });
    expect(image.analysis.os?.id).toBe(fields.ID.replace(/"/g, ''));
    expect(osvEcosystem(image.analysis.os, 'deb')).toBe(ecosystem);
  });

  it('falls back to usr/lib/os-release when etc/os-release is a link to it', async () => {
    const image = await analyze([
      { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
      { path: 'usr/lib/os-release', content: osRelease({ ID: 'debian', VERSION_ID: '"11"' }) },
    ]);
    expect(image.analysis.os).toEqual({ id: 'debian', versionId: '11', prettyName: null });
  });

  it('follows the final filesystem: a later layer changes the OS', async () => {
    const image = await analyze({ 'etc/os-release': osRelease({ ID: 'debian', VERSION_ID: '11' }) }, { 'etc/os-release': osRelease({ ID: 'debian', VERSION_ID: '12' }) });
    expect(image.analysis.os?.versionId).toBe('12');
  });

  it('marks Google distroless images', async () => {
    const image = await analyze({ 'etc/os-release': osRelease({ PRETTY_NAME: '"Distroless"', NAME: '"Debian GNU/Linux"', ID: '"debian"', VERSION_ID: '"12"' }) });
    expect(image.analysis.os).toEqual({ id: 'debian', versionId: '12', prettyName: 'Distroless', distroless: true });
  });

  it('recognises a distroless image without os-release from the base-files package of status.d', async () => {
    const image = await analyze({
      'var/lib/dpkg/status.d/base-files': 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n',
      'var/lib/dpkg/status.d/base-files.md5sums': 'abc  etc/debian_version\n',
    });
    expect(image.analysis.os).toEqual({ id: 'debian', versionId: '12', prettyName: null, distroless: true });
  });

  it('uses etc/debian_version when there is no os-release', async () => {
    expect((await analyze({ 'etc/debian_version': '12.5\n' })).analysis.os).toEqual({ id: 'debian', versionId: '12', prettyName: null });
    expect((await analyze({ 'etc/hostname': 'x' })).analysis.os).toBeNull();
  });

  it('parses quoting and escapes', () => {
    expect(parseOsReleaseFields('A="x \\"y\\" \\$z"\nB=\'single\'\n# comment\nC=plain\nbad line\n')).toEqual({ A: 'x "y" $z', B: 'single', C: 'plain' });
    expect(osReleaseFrom({ NAME: 'no id' })).toBeNull();
    expect(osvEcosystem(null, 'apk')).toBe('Alpine');
    expect(osvEcosystem({ id: 'debian', versionId: null, prettyName: null }, 'deb')).toBe('Debian');
  });
});
