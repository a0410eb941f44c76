import { describe, expect, it } from 'vitest';
import { goModules, goToolchainVersion, readGoBuildInfo } from '../../../shared/image/formats/go-buildinfo.ts';
import { readImage } from '../../../shared/image/read.ts';
import { BlobSet } from '../read-fixtures.ts';
import { analyze } from './analyze.ts';

const BASE = 0x400000;
const SENTINEL_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const SENTINEL_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

const MODINFO = [
  'path\tgithub.com/acme/tool/cmd/tool',
  'mod\tgithub.com/acme/tool\tv1.4.2\th1:abc=',
  'dep\tgithub.com/spf13/cobra\tv1.8.0\th1:def=',
  'dep\tgolang.org/x/net\tv0.17.0\th1:ghi=',
  '=>\tgolang.org/x/net\tv0.23.0\th1:jkl=',
  'dep\tgithub.com/acme/internal\tv0.0.0-00010101000000-000000000000',
  '=>\t../internal\t',
  'build\t-ldflags=-s -w',
  '',
].join('\n');

const varint = (n: number) => {
  const bytes: number[] = [];
  do {
    bytes.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return Buffer.from(bytes);
};

/**
 * A minimal little-endian ELF64 executable: one PT_LOAD segment mapping the whole file at 0x400000,
 * and (unless stripped) section headers naming `.go.buildinfo`. Before it, in "rodata", a copy of
 * the magic that is not a build info header (as in binaries that link debug/buildinfo).
 */
function goBinary(options: { goVersion: string; modinfo: string; format: 'inline' | 'pointer'; stripSections?: boolean }): Buffer {
  const modules = Buffer.concat([SENTINEL_START, Buffer.from(options.modinfo), SENTINEL_END]);
  const rodata = Buffer.concat([Buffer.from('some rodata \xff Go buildinf: used as a string ', 'latin1'), Buffer.alloc(40)]);
  const buildinfoOffset = 0x100 + Math.ceil(rodata.length / 16) * 16;
  const header = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header, 0);
  header[14] = 8;
  let buildinfo: Buffer;
  if (options.format === 'inline') {
    header[15] = 2;
    buildinfo = Buffer.concat([header, varint(options.goVersion.length), Buffer.from(options.goVersion), varint(modules.length), modules]);
  } else {
    header[15] = 0;
    // After the header: two Go string headers (pointer, length), then the string bytes.
    const stringsAt = buildinfoOffset + 32 + 32;
    const version = Buffer.from(options.goVersion);
    const headers = Buffer.alloc(32);
    headers.writeBigUInt64LE(BigInt(BASE + stringsAt), 0);
    headers.writeBigUInt64LE(BigInt(version.length), 8);
    headers.writeBigUInt64LE(BigInt(BASE + stringsAt + version.length), 16);
    headers.writeBigUInt64LE(BigInt(modules.length), 24);
    header.writeBigUInt64LE(BigInt(BASE + buildinfoOffset + 32), 16);
    header.writeBigUInt64LE(BigInt(BASE + buildinfoOffset + 32 + 16), 24);
    buildinfo = Buffer.concat([header, headers, version, modules]);
  }
  const shstrtab = Buffer.from('\0.shstrtab\0.go.buildinfo\0');
  const shstrtabOffset = buildinfoOffset + buildinfo.length;
  const shoff = Math.ceil((shstrtabOffset + shstrtab.length) / 8) * 8;
  const file = Buffer.alloc(shoff + 3 * 64);
  file.write('\x7fELF', 0, 'latin1');
  file[4] = 2;
  file[5] = 1;
  file[6] = 1;
  file.writeUInt16LE(2, 0x10);
  file.writeUInt16LE(62, 0x12);
  file.writeBigUInt64LE(64n, 0x20);
  file.writeBigUInt64LE(options.stripSections ? 0n : BigInt(shoff), 0x28);
  file.writeUInt16LE(56, 0x36);
  file.writeUInt16LE(1, 0x38);
  file.writeUInt16LE(64, 0x3a);
  file.writeUInt16LE(options.stripSections ? 0 : 3, 0x3c);
  file.writeUInt16LE(options.stripSections ? 0 : 1, 0x3e);
  // PT_LOAD covering the file.
  file.writeUInt32LE(1, 64);
  file.writeBigUInt64LE(0n, 64 + 8);
  file.writeBigUInt64LE(BigInt(BASE), 64 + 0x10);
  file.writeBigUInt64LE(BigInt(file.length), 64 + 0x20);
  rodata.copy(file, 0x100);
  buildinfo.copy(file, buildinfoOffset);
  shstrtab.copy(file, shstrtabOffset);
  if (!options.stripSections) {
    const section = (i: number, name: number, offset: number, size: number) => {
      const at = shoff + i * 64;
      file.writeUInt32LE(name, at);
      file.writeBigUInt64LE(BigInt(BASE + offset), at + 0x10);
      file.writeBigUInt64LE(BigInt(offset), at + 0x18);
      file.writeBigUInt64LE(BigInt(size), at + 0x20);
    };
    section(1, 1, shstrtabOffset, shstrtab.length);
    section(2, 11, buildinfoOffset, buildinfo.length);
  }
  return file;
}

describe('Go binary analyzer', () => {
  it.each(['inline', 'pointer'] as const)('reads the module information of %s build info', (format) => {
    const info = readGoBuildInfo(goBinary({ goVersion: 'go1.22.1', modinfo: MODINFO, format }));
    expect(info).toEqual({ goVersion: 'go1.22.1', modules: MODINFO });
  });

  it('finds the header without section headers, skipping copies of the magic that are no header', () => {
    expect(readGoBuildInfo(goBinary({ goVersion: 'go1.21.0', modinfo: MODINFO, format: 'inline', stripSections: true }))?.goVersion).toBe('go1.21.0');
    expect(readGoBuildInfo(Buffer.from('\x7fELF not really'))).toBeNull();
  });

  it('reports the main module, dependencies with replacements applied, and the standard library', async () => {
    const image = await analyze([
      { path: 'usr/local/bin/tool', content: goBinary({ goVersion: 'go1.22.1', modinfo: MODINFO, format: 'inline' }), mode: 0o755 },
      { path: 'opt/bin-not-exec', content: goBinary({ goVersion: 'go1.20', modinfo: 'mod\texample.com/other\t(devel)\t\n', format: 'pointer' }), mode: 0o644 },
      { path: 'usr/lib/libnot-go.so', content: Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(200)]), mode: 0o755 },
      { path: 'app/run.sh', content: '#!/bin/sh\necho \xff Go buildinf:\n', mode: 0o755 },
    ]);
    expect(image.analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.path}`)).toEqual([
      'Go stdlib 1.22.1 usr/local/bin/tool',
      'Go github.com/acme/tool 1.4.2 usr/local/bin/tool',
      'Go github.com/spf13/cobra 1.8.0 usr/local/bin/tool',
      'Go golang.org/x/net 0.23.0 usr/local/bin/tool',
    ]);
    // Binaries are reduced to their build info while the layer streams.
    expect(image.files.size).toBe(0);
  });

  it('reads non-executable ELF files in bin directories', async () => {
    const image = await analyze([{ path: 'bin/tool', content: goBinary({ goVersion: 'go1.19.13', modinfo: MODINFO, format: 'pointer' }), mode: 0o644 }]);
    expect(image.analysis.packages.map((p) => `${p.name} ${p.version}`)).toContain('stdlib 1.19.13');
  });

  it('still reads a binary that a check also asked for by path', async () => {
    const set = new BlobSet();
    const binary = goBinary({ goVersion: 'go1.22.1', modinfo: MODINFO, format: 'inline' });
    const image = await set.image([{ entries: [{ path: 'usr/local/bin/tool', content: binary, mode: 0o755 }] }]);
    const [result] = await readImage(set.writeLayout([image.manifest]), { layerCache: null, extraWants: (p) => p.startsWith('usr/local/bin/') });
    if (result.status !== 'scanned') throw new Error(result.status);
    expect(result.files.get('usr/local/bin/tool')!.content.equals(binary)).toBe(true);
    expect(result.analysis.packages.map((p) => p.name)).toContain('github.com/spf13/cobra');
  });

  it('does not read binaries over the file size limit, and says so', async () => {
    const set = new BlobSet();
    const image = await set.image([{ entries: [{ path: 'usr/local/bin/tool', content: goBinary({ goVersion: 'go1.22.1', modinfo: MODINFO, format: 'inline' }), mode: 0o755 }] }]);
    const [result] = await readImage(set.writeLayout([image.manifest]), { layerCache: null, limits: { maxFileBytes: 256 } });
    if (result.status !== 'scanned') throw new Error(result.status);
    expect(result.analysis.packages).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/1 wanted file larger than 256 B \(maxFileBytes\) not read/)]);
  });

  it('maps toolchain versions to the form OSV uses', () => {
    expect(goToolchainVersion('go1.21.5')).toBe('1.21.5');
    expect(goToolchainVersion('go1.20')).toBe('1.20.0');
    expect(goToolchainVersion('go1.21rc2')).toBe('1.21.0-rc.2');
    expect(goToolchainVersion('go1.22.3 X:boringcrypto')).toBe('1.22.3');
    expect(goToolchainVersion('devel +abc')).toBeNull();
    expect(goModules('dep\ta\tv1\n=>\tb\tv2\nmod\tm\tv3\n')).toEqual({ main: { path: 'm', version: 'v3' }, deps: [{ path: 'b', version: 'v2' }] });
  });
});
