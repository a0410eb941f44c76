/**
 * Where each regular file of an uncompressed tar archive starts and how long it is, found by
 * hopping from header to header (bodies are never read), so a multi-gigabyte `docker save`
 * archive is indexed with a few reads. Understands ustar names with prefix, pax `path`/`size`
 * records and GNU long names.
 */
import type { FileHandle } from 'node:fs/promises';
import { ImageReadError } from '../limits.ts';

export interface TarMember {
  offset: number;
  size: number;
}

const BLOCK = 512;

export async function indexTar(handle: FileHandle, name: string): Promise<Map<string, TarMember>> {
  const { size: fileSize } = await handle.stat();
  const members = new Map<string, TarMember>();
  const header = Buffer.alloc(BLOCK);
  let position = 0;
  let pending: { path?: string; size?: number } = {};
  const { bytesRead: magicBytes } = await handle.read(header, 0, 2, 0);
  if (magicBytes === 2 && header[0] === 0x1f && header[1] === 0x8b) {
    throw new ImageReadError(`${name} is gzip-compressed; decompress it first (gunzip) and scan the .tar`);
  }
  while (position + BLOCK <= fileSize) {
    const { bytesRead } = await handle.read(header, 0, BLOCK, position);
    if (bytesRead < BLOCK) break;
    if (header.every((b) => b === 0)) break;
    if (!checksumValid(header)) throw new ImageReadError(`${name} is not a tar archive (bad header at offset ${position})`);
    const type = String.fromCharCode(header[156] || 0x30);
    const size = pending.size ?? parseNumber(header.subarray(124, 136));
    const body = position + BLOCK;
    if (body + size > fileSize) throw new ImageReadError(`${name} is truncated (member at offset ${position} runs past the end)`);
    if (type === 'x' || type === 'L') {
      const content = Buffer.alloc(size);
      await handle.read(content, 0, size, body);
      if (type === 'x') pending = { ...pending, ...paxRecords(content) };
      else pending = { ...pending, path: content.toString('utf8').replace(/\0.*$/s, '') };
    } else {
      const path = (pending.path ?? ustarPath(header)).replace(/^\.\//, '');
      pending = {};
      if (type === '0' || type === '7') members.set(path, { offset: body, size });
    }
    position = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  return members;
}

function checksumValid(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum === parseNumber(header.subarray(148, 156));
}

function ustarPath(header: Buffer): string {
  const field = (from: number, to: number) => header.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  const name = field(0, 100);
  const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? field(345, 500) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** Octal text, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = field.toString('latin1').replace(/[\0 ]+.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

function paxRecords(content: Buffer): { path?: string; size?: number } {
  const result: { path?: string; size?: number } = {};
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    if (space < 0) break;
    const length = parseInt(content.subarray(at, space).toString('latin1'), 10);
    if (!(length > 0)) break;
    const record = content.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') result.path = record.slice(eq + 1);
    if (record.slice(0, eq) === 'size') result.size = Number(record.slice(eq + 1));
    at += length;
  }
  return result;
}
