/**
 * Just enough ELF to find a named section and to map virtual addresses to file offsets through
 * the loadable segments (32- and 64-bit, either byte order).
 */

export interface Elf {
  littleEndian: boolean;
  is64: boolean;
  sections: { name: string; offset: number; size: number; addr: number }[];
  segments: { offset: number; vaddr: number; filesz: number }[];
}

const PT_LOAD = 1;

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

export function parseElf(data: Buffer): Elf | null {
  if (!isElf(data) || data.length < 52) return null;
  const is64 = data[4] === 2;
  const littleEndian = data[5] === 1;
  if ((data[4] !== 1 && data[4] !== 2) || (data[5] !== 1 && data[5] !== 2) || (is64 && data.length < 64)) return null;
  const u16 = (at: number) => (littleEndian ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number) => (littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const word = (at: number) => (is64 ? Number(littleEndian ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at)) : u32(at));
  const inside = (at: number, length: number) => at >= 0 && length >= 0 && at + length <= data.length;

  const segments: Elf['segments'] = [];
  const phoff = word(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (!inside(at, is64 ? 56 : 32)) break;
    if (u32(at) !== PT_LOAD) continue;
    segments.push(is64 ? { offset: word(at + 8), vaddr: word(at + 0x10), filesz: word(at + 0x20) } : { offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 0x10) });
  }

  const sections: Elf['sections'] = [];
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    if (!inside(at, is64 ? 64 : 40)) return null;
    return is64
      ? { nameAt: u32(at), addr: word(at + 0x10), offset: word(at + 0x18), size: word(at + 0x20) }
      : { nameAt: u32(at), addr: u32(at + 0xc), offset: u32(at + 0x10), size: u32(at + 0x14) };
  };
  const names = shoff && shstrndx < shnum ? header(shstrndx) : null;
  if (names && inside(names.offset, names.size)) {
    for (let i = 0; i < shnum; i++) {
      const h = header(i);
      if (!h || h.nameAt >= names.size) continue;
      const start = names.offset + h.nameAt;
      const end = data.indexOf(0, start);
      sections.push({ name: data.toString('latin1', start, end < 0 ? names.offset + names.size : end), offset: h.offset, size: h.size, addr: h.addr });
    }
  }
  return { littleEndian, is64, sections, segments };
}

/** The file offset of a virtual address, or null when no loaded segment holds it. */
export function fileOffset(elf: Elf, vaddr: number): number | null {
  for (const s of elf.segments) {
    if (vaddr >= s.vaddr && vaddr < s.vaddr + s.filesz) return s.offset + (vaddr - s.vaddr);
  }
  return null;
}
