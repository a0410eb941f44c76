import { describe, expect, it } from 'vitest';
import { installedApkPackages } from '../../../shared/image/analyzers/apk.ts';
import { analyze } from './analyze.ts';

const INSTALLED = `C:Q1abc=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407288
I:667648
T:the musl c library (libc) implementation
o:musl
F:lib
R:ld-musl-x86_64.so.1
Z:Q1xyz=

C:Q1def=
P:libcrypto3
V:3.1.4-r5
A:x86_64
o:openssl
F:usr/lib
R:libcrypto.so.3
F:etc/ssl
R:openssl.cnf

P:no-version
A:x86_64
`;

describe('apk analyzer', () => {
  it('lists packages with origin as the source package', async () => {
    const image = await analyze({ 'etc/os-release': 'ID=alpine\nVERSION_ID=3.19.1\n', 'lib/apk/db/installed': INSTALLED });
    expect(image.analysis.packages.map(({ layerDigest, ...p }) => p)).toEqual([
      { ecosystem: 'Alpine:v3.19', name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64', sourceName: 'musl', sourceVersion: '1.2.4_git20230717-r4', path: 'lib/apk/db/installed' },
      { ecosystem: 'Alpine:v3.19', name: 'libcrypto3', version: '3.1.4-r5', arch: 'x86_64', sourceName: 'openssl', sourceVersion: '3.1.4-r5', path: 'lib/apk/db/installed' },
    ]);
  });

  it('uses the Wolfi ecosystem on Wolfi, and attributes packages to layers', async () => {
    const more = 'P:curl\nV:8.5.0-r0\nA:x86_64\no:curl\n';
    const image = await analyze({ 'etc/os-release': 'ID=wolfi\n', 'lib/apk/db/installed': INSTALLED }, { 'lib/apk/db/installed': `${INSTALLED}\n${more}` });
    expect(image.analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${image.layers.findIndex((l) => l.digest === p.layerDigest)}`)).toEqual(['Wolfi musl 0', 'Wolfi libcrypto3 0', 'Wolfi curl 1']);
  });

  it('handles a database without a trailing blank line', () => {
    expect(installedApkPackages('P:a\nV:1-r0').map((p) => p.name)).toEqual(['a']);
  });
});
