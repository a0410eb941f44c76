/**
 * Reading entries of a zip archive (jar, war, ear) held in memory: the end-of-central-directory
 * record (ZIP64 too), the central directory, then each wanted entry's local header and data,
 * stored or deflated (node:zlib inflateRaw, bounded). Data prepended to the archive (the launch
 * script of an executable Spring Boot jar) is allowed for: offsets are shifted by its length.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

export function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - MAX_COMMENT); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory (not a zip)');
  let count = zip.readUInt16LE(eocd + 10);
  let cdSize = zip.readUInt32LE(eocd + 12);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  let directoryEnd = eocd;
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) {
    const record = Number(zip.readBigUInt64LE(eocd - 20 + 8));
    // The record offset is relative to the archive start, which may be shifted; find it just before the locator.
    const at = record + 56 <= eocd - 20 && zip.readUInt32LE(record) === ZIP64_EOCD ? record : findBackwards(zip, ZIP64_EOCD, eocd - 20);
    if (at < 0) throw new Error('ZIP64 end of central directory not found');
    count = Number(zip.readBigUInt64LE(at + 32));
    cdSize = Number(zip.readBigUInt64LE(at + 40));
    cdOffset = Number(zip.readBigUInt64LE(at + 48));
    directoryEnd = at;
  }
  const shift = directoryEnd - (cdOffset + cdSize);
  if (shift < 0) throw new Error('central directory out of range');
  const entries: ZipEntry[] = [];
  let at = cdOffset + shift;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new Error('bad central directory entry');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let compressedSize = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    let localHeaderOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    // ZIP64 extended information: the 8-byte values replace the saturated 4-byte ones, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = zip.readUInt16LE(extra);
      const length = zip.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        const end = field + length;
        const next = () => {
          const value = Number(zip.readBigUInt64LE(field));
          field += 8;
          return value;
        };
        if (size === 0xffffffff && field + 8 <= end) size = next();
        if (compressedSize === 0xffffffff && field + 8 <= end) compressedSize = next();
        if (localHeaderOffset === 0xffffffff && field + 8 <= end) localHeaderOffset = next();
      }
      extra += 4 + length;
    }
    entries.push({ name, method: zip.readUInt16LE(at + 10), compressedSize, size, localHeaderOffset: localHeaderOffset + shift });
    at = extraEnd + commentLength;
  }
  return entries;
}

/** An entry's content, refusing more than `maxBytes` once inflated. */
export function zipEntryData(zip: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new Error(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.length) throw new Error(`${entry.name} runs past the end of the archive`);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > maxBytes) throw new Error(`${entry.name} is larger than ${maxBytes} bytes`);
    return data;
  }
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes });
  throw new Error(`${entry.name} uses unsupported compression method ${entry.method}`);
}

function findBackwards(zip: Buffer, signature: number, from: number): number {
  for (let at = from - 4; at >= 0 && at >= from - 1024; at--) if (zip.readUInt32LE(at) === signature) return at;
  return -1;
}
