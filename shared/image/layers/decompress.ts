/**
 * A layer blob as a decompressed stream: the compression recognised from the first bytes (gzip,
 * zstd, or a plain tar; registries and tools mislabel layers often enough that the magic number is
 * the better witness than the media type), the blob's size (and, when asked, its sha256) checked as
 * the bytes go by, and every decompressed byte counted against the image's budget, so a
 * decompression bomb stops at the limit instead of filling memory. gzip runs on node:zlib piped
 * exactly as a plain `gunzip | tar` would be; zstd on fzstd.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
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

export interface LayerContent {
  /** The tar stream. */
  tar: Readable;
  format: 'gzip' | 'zstd' | 'tar';
  /** Decompressed bytes so far. */
  readonly bytes: number;
  /** After the tar stream was read to its end: throws when the blob was short or (verified) did not match its digest. */
  finish(): void;
  /** An error of the read, named for what it means for the layer (a gzip stream ending early is a truncated layer). */
  explain(e: Error): Error;
}

/** Zstandard input is fed in small slices: one slice of RLE blocks can expand ~30 000-fold. */
const ZSTD_SLICE = 1024;
const GZIP_CHUNK = 64 * 1024;

export async function layerContent(blob: Readable, digest: string, declaredSize: number, verify: boolean, budget: DecompressionBudget): Promise<LayerContent> {
  if (verify && !digest.startsWith('sha256:')) throw new ImageReadError(`layer ${digest}: digest algorithm not supported`);
  const head = await peek(blob, 4);
  const hash: Hash | null = verify ? createHash('sha256') : null;
  let received = 0;
  const finish = () => {
    if (received < declaredSize) throw new ImageReadError(`layer ${digest} is truncated: ${received} of ${declaredSize} bytes`);
    if (hash && `sha256:${hash.digest('hex')}` !== digest) throw new ImageReadError(`layer ${digest} does not match its digest (corrupt or altered blob)`);
  };
  const check = (chunk: Buffer) => {
    received += chunk.length;
    if (received > declaredSize) blob.destroy(new ImageReadError(`layer ${digest} is larger than the ${declaredSize} bytes its manifest declares`));
    else hash?.update(chunk);
  };
  let bytes = 0;
  const count = (n: number) => {
    bytes += n;
    budget.take(n);
  };
  // Paused first, so the counting listener does not start the flow before the reader pipes the stream.
  const counted = (stream: Readable) =>
    stream.pause().on('data', (chunk: Buffer) => {
      try {
        count(chunk.length);
      } catch (e) {
        stream.destroy(e as Error);
      }
    });

  let tar: Readable;
  let format: LayerContent['format'];
  if (head[0] === 0x1f && head[1] === 0x8b) {
    format = 'gzip';
    // pipeline() hands a failure of the blob to gunzip, so the reader sees it.
    tar = counted(pipeline(blob, createGunzip({ chunkSize: GZIP_CHUNK }), () => {}));
  } else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    format = 'zstd';
    // Read by iteration, which a 'data' listener would starve: the blob is checked chunk by chunk instead.
    const checked = async function* () {
      for await (const chunk of blob as AsyncIterable<Buffer>) {
        check(chunk);
        yield chunk;
      }
    };
    tar = Readable.from(unzstd(checked(), count, digest), { objectMode: false });
  } else {
    format = 'tar';
    tar = counted(blob);
  }
  // Beside the pipe (gzip) or before the reader's pipe starts the paused flow (tar): no chunk passes unseen.
  if (format !== 'zstd') blob.on('data', check);
  return {
    tar,
    format,
    get bytes() {
      return bytes;
    },
    finish,
    explain: (e) => layerError(e, digest, format),
  };
}

/** The first `size` bytes (fewer at the end of the stream), left in the stream. */
async function peek(stream: Readable, size: number): Promise<Buffer> {
  for (;;) {
    const head = stream.read(size) as Buffer | null;
    if (head !== null) {
      stream.unshift(head);
      return head;
    }
    if (stream.readableEnded || stream.destroyed) return Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (e: Error) => {
        stream.off('readable', done).off('end', done).off('error', fail);
        reject(e);
      };
      stream.on('readable', done).on('end', done).on('error', fail);
    });
  }
}

async function* unzstd(input: AsyncIterable<Buffer>, count: (bytes: number) => void, digest: string): AsyncGenerator<Buffer> {
  let out: Buffer[] = [];
  let ended = false;
  const stream = new Decompress((data, final) => {
    count(data.length);
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

function layerError(e: Error, digest: string, format: LayerContent['format']): Error {
  if (e instanceof ImageReadError) return e;
  const code = (e as { code?: unknown }).code;
  const fromDecompressor = format === 'gzip' ? typeof code === 'string' && code.startsWith('Z_') : format === 'zstd' && typeof code === 'number';
  if (!fromDecompressor) return new ImageReadError(`layer ${digest} could not be read: ${e.message}`);
  // zlib's Z_BUF_ERROR and fzstd's code 5 (UnexpectedEOF): the input ended inside the stream.
  if (code === 'Z_BUF_ERROR' || code === 5) return new ImageReadError(`layer ${digest} is truncated (the ${format} stream ends early)`);
  return new ImageReadError(`layer ${digest} is not valid ${format}: ${e.message}`);
}
