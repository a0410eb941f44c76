/**
 * Read access to the files of an OCI image layout or a `docker save` archive, whether they sit in
 * a directory or inside an (uncompressed) tar file; tar members are read in place by offset.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageReadError } from '../limits.ts';
import { indexTar, type TarMember } from './tar-index.ts';

export interface SourceFiles {
  /** The file's bytes, or null when it does not exist; more than `max` bytes is an error. */
  read(path: string, max: number): Promise<Buffer | null>;
  size(path: string): Promise<number | null>;
  open(path: string, signal?: AbortSignal): Promise<Readable>;
  close(): Promise<void>;
}

export function directoryFiles(root: string): SourceFiles {
  const full = (path: string) => join(root, ...path.split('/'));
  return {
    async read(path, max) {
      const size = await this.size(path);
      if (size === null) return null;
      if (size > max) throw new ImageReadError(`${path} is larger than ${max} bytes`);
      return readFile(full(path));
    },
    async size(path) {
      try {
        const info = await stat(full(path));
        return info.isFile() ? info.size : null;
      } catch {
        return null;
      }
    },
    async open(path, signal) {
      if ((await this.size(path)) === null) throw new ImageReadError(`blob ${path} is missing from ${root}`);
      return createReadStream(full(path), { highWaterMark: 256 * 1024, signal });
    },
    async close() {},
  };
}

/** The members of a tar file on disk, read by offset (an uncompressed archive: `docker save`, `oci-archive`). */
export async function tarFiles(file: string): Promise<SourceFiles> {
  const handle = await open(file, 'r');
  let members: Map<string, TarMember>;
  try {
    members = await indexTar(handle, file);
  } catch (e) {
    await handle.close();
    throw e;
  }
  const member = (path: string) => members.get(path.replace(/^\.\//, '')) ?? null;
  return {
    async read(path, max) {
      const m = member(path);
      if (!m) return null;
      if (m.size > max) throw new ImageReadError(`${path} in ${file} is larger than ${max} bytes`);
      const buffer = Buffer.alloc(m.size);
      const { bytesRead } = await handle.read(buffer, 0, m.size, m.offset);
      if (bytesRead < m.size) throw new ImageReadError(`${path} in ${file} is truncated`);
      return buffer;
    },
    async size(path) {
      return member(path)?.size ?? null;
    },
    async open(path, signal) {
      const m = member(path);
      if (!m) throw new ImageReadError(`blob ${path} is missing from ${file}`);
      if (m.size === 0) return createReadStream(file, { start: 1, end: 0 });
      return createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 256 * 1024, signal });
    },
    async close() {
      await handle.close();
    },
  };
}
