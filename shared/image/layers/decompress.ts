/**
 * A layer blob as decompressed chunks: its digest and size checked as the bytes go by, the
 * compression recognised from the first bytes (gzip, zstd, or a plain tar; registries and tools
 * mislabel layers often enough that the magic number is the better witness than the media type),
 * and every decompressed byte counted against the image's budget before it is handed on, so a
 * decompression bomb stops at the limit instead of filling memory.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { ImageLimitError, ImageReadError, formatBytes } from '../limits.ts';

/** Decompressed bytes one image may still produce, shared by its layers read in parallel. */
export class DecompressionBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new ImageLimitError('maxDecompressedBytes', `the image decompresses to more than ${formatBytes(this.limit)} (maxDecompressedBytes); stopped reading (a decompression bomb, or raise the limit)`);
    }
  }

  get total(): number {
    return this.used;
  }
}

/**
 * The blob's bytes, failing when there are more or fewer than declared and, with `verify`, when
 * their sha256 does not match the digest at the end.
 */
export async function* checkedBlob(blob: AsyncIterable<Uint8Array>, digest: string, declaredSize: number, verify: boolean): AsyncGenerator<Buffer> {
  if (verify && !digest.startsWith('sha256:')) throw new ImageReadError(`layer ${digest}: digest algorithm not supported`);
  const hash = verify ? createHash('sha256') : null;
  let received = 0;
  for await (const chunk of blob) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    received += buffer.length;
    if (received > declaredSize) throw new ImageReadError(`layer ${digest} is larger than the ${declaredSize} bytes its manifest declares`);
    hash?.update(buffer);
    yield buffer;
  }
  if (received < declaredSize) throw new ImageReadError(`layer ${digest} is truncated: ${received} of ${declaredSize} bytes`);
  if (hash && `sha256:${hash.digest('hex')}` !== digest) throw new ImageReadError(`layer ${digest} does not match its digest (corrupt or altered blob)`);
}

/** Zstandard input is fed in small slices: one slice of RLE blocks can expand ~30 000-fold. */
const ZSTD_SLICE = 1024;
const GZIP_CHUNK = 64 * 1024;

export async function* decompressed(chunks: AsyncIterable<Buffer>, budget: DecompressionBudget, digest: string): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  // The magic numbers need the first 4 bytes, which a network read may deliver in pieces.
  const pieces: Buffer[] = [];
  let length = 0;
  while (length < 4) {
    const next = await iterator.next();
    if (next.done) break;
    pieces.push(next.value);
    length += next.value.length;
  }
  if (length === 0) return;
  const head = Buffer.concat(pieces);
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => {
      let sent = false;
      return {
        async next(): Promise<IteratorResult<Buffer>> {
          if (sent) return iterator.next();
          sent = true;
          return { value: head, done: false };
        },
        async return(): Promise<IteratorResult<Buffer>> {
          await iterator.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };

  if (head[0] === 0x1f && head[1] === 0x8b) yield* gunzip(rest, budget, digest);
  else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) yield* unzstd(rest, budget, digest);
  else {
    for await (const chunk of rest) {
      budget.take(chunk.length);
      yield chunk;
    }
  }
}

async function* gunzip(input: AsyncIterable<Buffer>, budget: DecompressionBudget, digest: string): AsyncGenerator<Buffer> {
  const inflater = createGunzip({ chunkSize: GZIP_CHUNK });
  const feeding = pipeline(Readable.from(input, { objectMode: false }), inflater).catch((e: Error) => {
    inflater.destroy(e);
  });
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      budget.take(chunk.length);
      yield chunk;
    }
  } catch (e) {
    throw layerError(e as Error, digest, 'gzip');
  } finally {
    inflater.destroy();
    await feeding;
  }
}

async function* unzstd(input: AsyncIterable<Buffer>, budget: DecompressionBudget, digest: string): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  let ended = false;
  const stream = new Decompress((data, final) => {
    budget.take(data.length);
    out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (final) ended = true;
  });
  try {
    for await (const chunk of input) {
      for (let at = 0; at < chunk.length; at += ZSTD_SLICE) {
        stream.push(chunk.subarray(at, at + ZSTD_SLICE));
        if (out.length) {
          const ready = out;
          out = [];
          yield* ready;
        }
      }
    }
    stream.push(new Uint8Array(0), true);
    yield* out;
  } catch (e) {
    throw layerError(e as Error, digest, 'zstd');
  }
  if (!ended) throw new ImageReadError(`layer ${digest} is truncated (the zstd stream ends early)`);
}

function layerError(e: Error, digest: string, format: string): Error {
  if (e instanceof ImageReadError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 'Z_BUF_ERROR' || (format === 'zstd' && code === 5) || /unexpected (end|EOF)/i.test(e.message)) return new ImageReadError(`layer ${digest} is truncated (the ${format} stream ends early)`);
  return new ImageReadError(`layer ${digest} is not valid ${format}: ${e.message}`);
}
