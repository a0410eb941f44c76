import { describe, expect, it } from 'vitest';
import { installedDpkgPackages } from '../../../shared/image/analyzers/dpkg.ts';
import { analyze } from './analyze.ts';

const DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const stanza = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';

const BASE = [
  stanza({ Package: 'libc6', Status: 'install ok installed', Priority: 'optional', Architecture: 'amd64', 'Multi-Arch': 'same', Source: 'glibc', Version: '2.36-9+deb12u7', Description: 'GNU C Library: Shared libraries' }) +
    ' Contains the standard libraries.\n .\n More text.\n',
  stanza({ Package: 'libssl3', Status: 'install ok installed', Architecture: 'amd64', Source: 'openssl (3.0.11-1~deb12u2)', Version: '3.0.11-1~deb12u2+b1' }),
  stanza({ Package: 'bash', Status: 'install ok installed', Architecture: 'amd64', Version: '5.2.15-2+b2' }),
  stanza({ Package: 'removed-pkg', Status: 'deinstall ok config-files', Architecture: 'amd64', Version: '1.0-1' }),
  stanza({ Package: 'half', Status: 'install reinstreq half-installed', Architecture: 'amd64', Version: '1.0-1' }),
].join('\n');

describe('dpkg analyzer', () => {
  it('lists installed packages with their source package and the distro release', async () => {
    const image = await analyze({ 'etc/os-release': DEBIAN_12, 'var/lib/dpkg/status': BASE });
    expect(image.analysis.packages.map(({ layerDigest, ...p }) => p)).toEqual([
      { ecosystem: 'Debian:12', name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64', sourceName: 'glibc', sourceVersion: '2.36-9+deb12u7', path: 'var/lib/dpkg/status' },
      { ecosystem: 'Debian:12', name: 'libssl3', version: '3.0.11-1~deb12u2+b1', arch: 'amd64', sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2', path: 'var/lib/dpkg/status' },
      { ecosystem: 'Debian:12', name: 'bash', version: '5.2.15-2+b2', arch: 'amd64', sourceName: 'bash', sourceVersion: '5.2.15-2+b2', path: 'var/lib/dpkg/status' },
    ]);
  });

  it('attributes each package to the layer that installed it', async () => {
    const extra = stanza({ Package: 'curl', Status: 'install ok installed', Architecture: 'amd64', Version: '7.88.1-10+deb12u5' });
    const upgraded = BASE.replace('5.2.15-2+b2', '5.2.15-2+b7');
    const image = await analyze({ 'etc/os-release': DEBIAN_12, 'var/lib/dpkg/status': BASE }, { 'var/lib/dpkg/status': `${BASE}\n${extra}` }, { 'var/lib/dpkg/status': `${upgraded}\n${extra}` });
    const layerOf = (name: string) => image.layers.findIndex((l) => l.digest === image.analysis.packages.find((p) => p.name === name)!.layerDigest);
    expect([layerOf('libc6'), layerOf('curl'), layerOf('bash')]).toEqual([0, 1, 2]);
  });

  it('reads distroless status.d files (no Status field), Ubuntu ecosystems, and ignores md5sums', async () => {
    const image = await analyze({
      'etc/os-release': 'ID=ubuntu\nVERSION_ID="24.04"\n',
      'var/lib/dpkg/status.d/tzdata': stanza({ Package: 'tzdata', Version: '2024a-0ubuntu0.24.04', Architecture: 'all' }),
      'var/lib/dpkg/status.d/tzdata.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n',
    });
    expect(image.analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.path}`)).toEqual(['Ubuntu:24.04:LTS tzdata 2024a-0ubuntu0.24.04 var/lib/dpkg/status.d/tzdata']);
  });

  it('lists nothing when the status file was removed', async () => {
    const image = await analyze({ 'var/lib/dpkg/status': BASE }, [{ path: 'var/lib/dpkg/.wh.status' }]);
    expect(image.analysis.packages).toEqual([]);
  });

  it('skips stanzas without name or version and tolerates CRLF-free garbage', () => {
    expect(installedDpkgPackages('garbage\n\nPackage: x\nStatus: install ok installed\n\nVersion: 1\n', true)).toEqual([]);
  });
});
