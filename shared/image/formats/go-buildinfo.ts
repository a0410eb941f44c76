/**
 * The build information the Go toolchain embeds in every binary (`runtime/debug.BuildInfo`): a
 * 32-byte header starting `\xff Go buildinf:` (in the `.go.buildinfo` section, 16-byte aligned),
 * then the Go version and the module information. Since Go 1.18 both strings follow the header
 * inline, each preceded by its length as a varint; before that the header holds pointers to Go
 * string headers, resolved through the ELF segments. The module text is wrapped in 16-byte
 * sentinels and lists `path`, `mod` (the main module), `dep` lines and `=>` replacements.
 */
import { fileOffset, parseElf, type Elf } from './elf.ts';

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const FLAG_BIG_ENDIAN = 1;
const FLAG_INLINE = 2;

export interface GoBuildInfo {
  goVersion: string;
  /** The module text, sentinels removed. */
  modules: string;
}

export interface GoModule {
  path: string;
  version: string;
}

export function readGoBuildInfo(binary: Buffer): GoBuildInfo | null {
  const elf = parseElf(binary);
  const section = elf?.sections.find((s) => s.name === '.go.buildinfo');
  if (section && binary.subarray(section.offset, section.offset + BUILDINFO_MAGIC.length).equals(BUILDINFO_MAGIC)) {
    return decodeAt(binary, section.offset, elf);
  }
  // Stripped section headers: the header is still 16-byte aligned; try each aligned occurrence.
  for (let at = binary.indexOf(BUILDINFO_MAGIC); at >= 0; at = binary.indexOf(BUILDINFO_MAGIC, at + 1)) {
    if (at % 16 !== 0) continue;
    const info = decodeAt(binary, at, elf);
    if (info) return info;
  }
  return null;
}

function decodeAt(data: Buffer, at: number, elf: Elf | null): GoBuildInfo | null {
  if (at + HEADER > data.length) return null;
  const ptrSize = data[at + 14];
  const flags = data[at + 15];
  if (flags & FLAG_INLINE) {
    const version = varintString(data, at + HEADER);
    if (!version) return null;
    const modules = varintString(data, version.end);
    if (!modules) return null;
    return finish(version.text, modules.text);
  }
  if (!elf || (ptrSize !== 4 && ptrSize !== 8)) return null;
  const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0;
  const pointer = (offset: number | null): number | null => {
    if (offset === null || offset < 0 || offset + ptrSize > data.length) return null;
    if (ptrSize === 8) return Number(bigEndian ? data.readBigUInt64BE(offset) : data.readBigUInt64LE(offset));
    return bigEndian ? data.readUInt32BE(offset) : data.readUInt32LE(offset);
  };
  const goString = (headerAddress: number | null): string | null => {
    if (headerAddress === null) return null;
    const headerOffset = fileOffset(elf, headerAddress);
    const dataAddress = pointer(headerOffset);
    const length = pointer(headerOffset === null ? null : headerOffset + ptrSize);
    if (dataAddress === null || length === null || length > 1 << 24) return null;
    const offset = fileOffset(elf, dataAddress);
    if (offset === null || offset + length > data.length) return null;
    return data.toString('utf8', offset, offset + length);
  };
  const version = goString(pointer(at + 16));
  const modules = goString(pointer(at + 16 + ptrSize));
  return version === null || modules === null ? null : finish(version, modules);
}

function varintString(data: Buffer, at: number): { text: string; end: number } | null {
  let length = 0;
  let shift = 0;
  let i = at;
  for (; i < data.length && shift < 35; i++, shift += 7) {
    length += (data[i] & 0x7f) * 2 ** shift;
    if (!(data[i] & 0x80)) break;
  }
  const start = i + 1;
  if (start + length > data.length || length > 1 << 24) return null;
  return { text: data.toString('utf8', start, start + length), end: start + length };
}

function finish(goVersion: string, modules: string): GoBuildInfo | null {
  if (!goVersion.startsWith('go') && goVersion !== 'devel') return null;
  const unwrapped = modules.length >= 33 && modules[modules.length - 17] === '\n' ? modules.slice(16, -16) : modules;
  return { goVersion, modules: unwrapped };
}

/** The main module and dependencies, replacements applied (local-directory replacements have no version and are left out). */
export function goModules(modules: string): { main: GoModule | null; deps: GoModule[] } {
  let main: GoModule | null = null;
  const deps: GoModule[] = [];
  let last: { list: 'main' | 'deps'; index: number } | null = null;
  for (const line of modules.split('\n')) {
    const [kind, path, version] = line.split('\t');
    if (kind === 'mod' && path) {
      main = { path, version: version ?? '' };
      last = { list: 'main', index: 0 };
    } else if (kind === 'dep' && path) {
      deps.push({ path, version: version ?? '' });
      last = { list: 'deps', index: deps.length - 1 };
    } else if (kind === '=>' && path && last) {
      const replacement = { path, version: version ?? '' };
      if (last.list === 'main') main = replacement;
      else deps[last.index] = replacement;
      last = null;
    }
  }
  return { main, deps };
}

/** `go1.21.5` → `1.21.5`, `go1.20` → `1.20.0`, `go1.21rc2` → `1.21.0-rc.2` (the form OSV's Go records use). */
export function goToolchainVersion(goVersion: string): string | null {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(beta|rc)(\d+))?/.exec(goVersion.split(/\s/)[0]);
  if (!m) return null;
  const base = `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
  return m[4] ? `${base}-${m[4]}.${m[5]}` : base;
}
