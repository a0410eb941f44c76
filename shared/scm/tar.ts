/**
 * A streaming reader for the tar archives forges serve (`git archive` output: ustar entries, a pax
 * global header carrying the commit, pax or GNU records for long names). It reads one block at a
 * time, so bodies nobody asked for are skipped without ever being held in memory.
 */

const BLOCK = 512;

export interface TarFile {
  /** The entry's path as written in the archive (not normalized). */
  path: string;
  size: number;
  data: Buffer;
}

/**
 * The regular files of a tar stream, in archive order. `keep(path, size)` decides which bodies are
 * read; the rest (and every directory, link or special entry) is skipped.
 */
export async function* tarFiles(input: AsyncIterable<Uint8Array>, keep: (path: string, size: number) => boolean): AsyncGenerator<TarFile> {
  const source = input[Symbol.asyncIterator]();
  try {
    yield* readEntries(new BlockReader(source), keep);
  } finally {
    // Stop the download too when the reader fails or the caller stops early.
    await source.return?.();
  }
}

async function* readEntries(reader: BlockReader, keep: (path: string, size: number) => boolean): AsyncGenerator<TarFile> {
  /** Overrides from a pax `x` record or a GNU long-name entry, for the next entry only. */
  let pending: { path?: string; size?: number } = {};
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header === null || isZeroBlock(header)) return;
    verifyChecksum(header);
    const type = String.fromCharCode(header[156] || 0x30);
    const headerSize = parseNumber(header.subarray(124, 136));

    if (type === 'x' || type === 'g' || type === 'L') {
      const content = (await reader.readExactly(padded(headerSize))).subarray(0, headerSize);
      // A global header (`g`) only carries metadata such as the commit id: nothing applies to entries.
      if (type === 'x') pending = { ...pending, ...paxOverrides(content) };
      if (type === 'L') pending = { ...pending, path: cString(content) };
      continue;
    }

    const path = pending.path ?? headerPath(header);
    const size = pending.size ?? headerSize;
    pending = {};
    // Old archivers mark folders as files whose name ends with a slash.
    const isFile = (type === '0' || type === '7') && !path.endsWith('/');
    if (isFile && keep(path, size)) {
      const body = await reader.readExactly(padded(size));
      yield { path, size, data: body.subarray(0, size) };
    } else {
      await reader.skip(padded(size));
    }
  }
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/** Reads fixed amounts from a stream of chunks of any size. */
class BlockReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** `n` bytes, or null when the stream ended exactly here. */
  async read(n: number): Promise<Buffer | null> {
    await this.fill(n);
    if (this.buffered === 0 && this.ended) return null;
    if (this.buffered < n) throw new TarError('the archive is truncated');
    return this.take(n);
  }

  async readExactly(n: number): Promise<Buffer> {
    const bytes = await this.read(n);
    if (bytes === null) throw new TarError('the archive is truncated');
    return bytes;
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.buffered === 0) {
        await this.fill(1);
        if (this.buffered === 0) throw new TarError('the archive is truncated');
      }
      const dropped = Math.min(left, this.buffered);
      this.take(dropped);
      left -= dropped;
    }
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        this.buffered += next.value.length;
      }
    }
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

export class TarError extends Error {
  override name = 'TarError';
}

function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

function verifyChecksum(header: Buffer): void {
  let sum = 0;
  // The checksum field itself counts as eight spaces.
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  if (parseNumber(header.subarray(148, 156)) !== sum) throw new TarError('not a tar archive (header checksum mismatch)');
}

/** Octal text, or GNU base-256 when the high bit of the first byte is set. */
function parseNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = cString(field).trim();
  return text ? parseInt(text, 8) : 0;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}

/** ustar splits long paths into `prefix` + `/` + `name`. */
function headerPath(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = header.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** Pax records are `<length> <key>=<value>\n`, the length counting the whole record in bytes. */
function paxOverrides(content: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    if (space === -1) break;
    const length = parseInt(content.subarray(at, space).toString('latin1'), 10);
    if (!(length > 0)) break;
    const record = content.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    if (key === 'size' && /^\d+$/.test(value)) out.size = Number(value);
    at += length;
  }
  return out;
}
