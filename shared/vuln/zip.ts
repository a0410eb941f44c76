/**
 * Reads ZIP archives held in memory (the OSV ecosystem exports, `all.zip`), entry by entry, with
 * node:zlib's raw inflate: nothing is extracted to disk. Supports stored and deflated entries and
 * ZIP64 (exports with more than 65,535 records use it); checks each entry's size and CRC-32.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('ZIP64 field too large');
  return Number(value);
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - 22 - MAX16);
  for (let at = zip.length - 22; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === EOCD && at + 22 + zip.readUInt16LE(at + 20) <= zip.length) return at;
  }
  throw new ZipFormatError('not a zip archive (no end of central directory record; truncated download?)');
}

/** The entries of the central directory, in archive order. */
export function listZipEntries(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) throw new ZipFormatError('not a zip archive (too short)');
  const eocd = findEndOfCentralDirectory(zip);
  let count = zip.readUInt16LE(eocd + 10);
  let directorySize = zip.readUInt32LE(eocd + 12);
  let directoryOffset = zip.readUInt32LE(eocd + 16);
  if (eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const zip64 = u64(zip, eocd - 20 + 8);
    if (zip64 + 56 > zip.length || zip.readUInt32LE(zip64) !== ZIP64_EOCD) throw new ZipFormatError('broken ZIP64 end of central directory');
    count = u64(zip, zip64 + 32);
    directorySize = u64(zip, zip64 + 40);
    directoryOffset = u64(zip, zip64 + 48);
  }
  if (directoryOffset + directorySize > zip.length) throw new ZipFormatError('central directory lies outside the archive (truncated?)');

  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new ZipFormatError(`central directory entry ${i} is damaged`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      crc32: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      encrypted: (zip.readUInt16LE(at + 8) & 1) === 1,
    };
    readZip64Extra(zip, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offsets too large for 32 bits live in the ZIP64 extra field, in this order. */
function readZip64Extra(zip: Buffer, start: number, length: number, entry: ZipEntry): void {
  let at = start;
  while (at + 4 <= start + length) {
    const id = zip.readUInt16LE(at);
    const size = zip.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      if (entry.size === MAX32) (entry.size = u64(zip, field)), (field += 8);
      if (entry.compressedSize === MAX32) (entry.compressedSize = u64(zip, field)), (field += 8);
      if (entry.localHeaderOffset === MAX32) entry.localHeaderOffset = u64(zip, field);
      return;
    }
    at += 4 + size;
  }
}

/** The uncompressed content of one entry; refuses entries larger than `maxSize`. */
export function readZipEntry(zip: Buffer, entry: ZipEntry, maxSize = 64 * 1024 * 1024): Buffer {
  if (entry.encrypted) throw new ZipFormatError(`${entry.name}: encrypted entries are not supported`);
  if (entry.size > maxSize) throw new ZipFormatError(`${entry.name}: ${entry.size} bytes is over the ${maxSize}-byte limit per entry`);
  const header = entry.localHeaderOffset;
  if (header + 30 > zip.length || zip.readUInt32LE(header) !== LOCAL_HEADER) throw new ZipFormatError(`${entry.name}: local header missing`);
  const dataStart = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  if (dataStart + entry.compressedSize > zip.length) throw new ZipFormatError(`${entry.name}: data runs past the end of the archive (truncated?)`);
  const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
  let content: Buffer;
  if (entry.method === 0) content = data;
  else if (entry.method === 8) {
    try {
      content = inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (e) {
      throw new ZipFormatError(`${entry.name}: cannot inflate (${(e as Error).message})`);
    }
  } else throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
  if (content.length !== entry.size) throw new ZipFormatError(`${entry.name}: ${content.length} bytes, the directory says ${entry.size}`);
  if (crc32(content) !== entry.crc32) throw new ZipFormatError(`${entry.name}: CRC-32 mismatch`);
  return content;
}
