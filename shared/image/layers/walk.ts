/**
 * One pass over one layer's tar stream: every entry's metadata, whiteouts and opaque-directory
 * markers, and the content of just the files someone asked for (analyzers by path or by their
 * first bytes, the caller's `extraWants`, the caller's inspector), each read into memory only up
 * to `maxFileBytes`. Nothing is written to disk; paths that climb out of the root are ignored.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { Analyzer, LayerFile } from '../analyzer.ts';
import { ImageReadError, formatBytes } from '../limits.ts';
import type { Layer } from '../model.ts';

/** A file's content as an inspector sees it (no layer position: results are cached per layer digest). */
export interface InspectedFile {
  path: string;
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

/**
 * Looks at many files while the layer streams and keeps only what it returns (secret matches, say),
 * so their content is never retained. Its results are cached with the layer under `key`.
 */
export interface FileInspector<T> {
  key: string;
  wants(path: string, size: number): boolean;
  inspect(file: InspectedFile): T[];
}

export interface WalkPlan {
  analyzers: readonly Analyzer[];
  extraWants?: (path: string) => boolean;
  inspect?: FileInspector<unknown>;
  maxFileBytes: number;
}

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface RawEntry {
  path: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname?: string;
}

export interface CapturedFile {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Position of its entry in `LayerScan.entries`. */
  entry: number;
  /** The content, kept for `extraWants` and for analyzers that do not condense. */
  raw: Buffer | null;
  rawFor: string[];
  extra: boolean;
  /** Per condensing analyzer, what it kept of the file. */
  condensed: Map<string, Buffer>;
}

export interface LayerScan {
  digest: string;
  entries: RawEntry[];
  whiteouts: string[];
  opaqueDirs: string[];
  files: CapturedFile[];
  inspected: unknown[];
  decompressedBytes: number;
  warnings: string[];
}

/** Sniffing analyzers see at least this many bytes of a file. */
const HEAD_BYTES = 64;
const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * The path inside the image for a tar entry name: no leading `./`, no trailing `/`; '' for the
 * root itself; null when the name is absolute or `..` climbs above the root.
 */
export function layerPath(name: string): string | null {
  if (name.startsWith('/')) return null;
  if (!/(^|\/)\.\.?(\/|$)|\/\/|\/$/.test(name)) return name;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

function entryType(type: string): EntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

export async function walkLayer(content: Readable, layer: Layer, layerIndex: number, plan: WalkPlan): Promise<LayerScan> {
  const scan: LayerScan = { digest: layer.digest, entries: [], whiteouts: [], opaqueDirs: [], files: [], inspected: [], decompressedBytes: 0, warnings: [] };
  const sniffers = plan.analyzers.filter((a) => a.wantsContent);
  const capturedByPath = new Map<string, CapturedFile>();
  let escaping = 0;
  let oversized = 0;

  /** Who wants the content of `path`, decided on the path alone. */
  const pathWanters = (path: string, size: number) => {
    let analyzers: Analyzer[] | null = null;
    for (const a of plan.analyzers) {
      if (a.wants(path)) (analyzers ??= []).push(a);
    }
    const extra = plan.extraWants?.(path) ?? false;
    const inspect = plan.inspect?.wants(path, size) ?? false;
    return { analyzers: analyzers ?? [], extra, inspect };
  };

  /**
   * Content only condensing analyzers want is reduced as soon as it is complete and never kept, so
   * one scratch buffer serves all such files of the layer (binaries, jars) instead of a fresh one each.
   */
  let scratch = Buffer.allocUnsafeSlow(0);
  const bufferFor = (size: number, wanted: { analyzers: Analyzer[]; extra: boolean; inspect: boolean }): Buffer => {
    if (wanted.extra || wanted.inspect || !wanted.analyzers.every((a) => a.condense)) return Buffer.allocUnsafe(size);
    if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.min(Math.max(size, scratch.length * 2), plan.maxFileBytes));
    return scratch.subarray(0, size);
  };

  const capture = (path: string, header: tar.Header, content: Buffer, entry: number, wanted: { analyzers: Analyzer[]; extra: boolean; inspect: boolean }) => {
    const file: LayerFile = { path, content, mode: header.mode, uid: header.uid, gid: header.gid, size: content.length, layer, layerIndex };
    const captured: CapturedFile = { path, mode: header.mode, uid: header.uid, gid: header.gid, size: content.length, entry, raw: null, rawFor: [], extra: wanted.extra, condensed: new Map() };
    for (const analyzer of wanted.analyzers) {
      if (!analyzer.condense) {
        captured.rawFor.push(analyzer.name);
        continue;
      }
      try {
        const reduced = analyzer.condense(file);
        if (reduced) captured.condensed.set(analyzer.name, reduced);
      } catch (e) {
        scan.warnings.push(`analyzer ${analyzer.name} could not read ${path}: ${(e as Error).message}`);
      }
    }
    if (wanted.inspect && plan.inspect) {
      try {
        scan.inspected.push(...plan.inspect.inspect({ path, content, mode: header.mode, uid: header.uid, gid: header.gid, size: content.length }));
      } catch (e) {
        scan.warnings.push(`inspector ${plan.inspect.key} failed on ${path}: ${(e as Error).message}`);
      }
    }
    if (captured.rawFor.length || captured.extra) captured.raw = content;
    if (captured.raw || captured.condensed.size) {
      scan.files.push(captured);
      capturedByPath.set(path, captured);
    }
  };

  const onEntry = (header: tar.Header, stream: tar.ExtractEvents['entry'][1], next: (e?: Error) => void) => {
    // The parser destroys the entry's stream with its own error, which it reports itself.
    stream.on('error', () => {});
    const drain = () => {
      stream.on('end', () => next());
      stream.resume();
    };
    const path = layerPath(header.name);
    if (path === null) {
      escaping++;
      return drain();
    }
    if (path === '') return drain();
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    if (base.startsWith(WHITEOUT)) {
      const dir = slash < 0 ? '' : path.slice(0, slash);
      if (base === OPAQUE) scan.opaqueDirs.push(dir);
      // `.wh..wh.<x>` names other than the opaque marker are AUFS bookkeeping (`.wh..wh.plnk`), not whiteouts.
      else if (!base.startsWith(`${WHITEOUT}${WHITEOUT}`)) scan.whiteouts.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
      return drain();
    }
    const type = entryType(header.type);
    const entry = scan.entries.length;
    const linkname = type === 'symlink' ? header.linkname : type === 'hardlink' ? (layerPath(header.linkname ?? '') ?? header.linkname) : undefined;
    scan.entries.push({ path, type, mode: header.mode, uid: header.uid, gid: header.gid, size: type === 'file' ? header.size : 0, ...(linkname ? { linkname } : {}) });

    if (type === 'hardlink') {
      // The content is the link target's, if this layer captured it.
      const target = linkname ? capturedByPath.get(linkname) : undefined;
      const content = target?.raw;
      if (content) {
        const wanted = pathWanters(path, content.length);
        if (wanted.analyzers.length || wanted.extra || wanted.inspect) capture(path, header, content, entry, wanted);
      }
      return drain();
    }
    if (type !== 'file') return drain();

    const wanted = pathWanters(path, header.size);
    const byPath = wanted.analyzers.length > 0 || wanted.extra || wanted.inspect;
    const sniffing = sniffers.filter((a) => !wanted.analyzers.includes(a));
    if (!byPath && !sniffing.length) return drain();
    if (header.size > plan.maxFileBytes) {
      if (byPath) oversized++;
      else {
        // Not read, but counted when an analyzer would have wanted it (a large Go binary, say).
        const head: Buffer[] = [];
        let length = 0;
        stream.on('data', (data: unknown) => {
          if (length < HEAD_BYTES) {
            head.push(data as Buffer);
            length += (data as Buffer).length;
            if (length >= HEAD_BYTES && sniffing.some((a) => a.wantsContent!(path, Buffer.concat(head), header.mode))) oversized++;
          }
        });
        stream.on('end', () => next());
        return;
      }
      return drain();
    }
    // Kept content goes straight into one buffer of the declared size: no chunk list, no second copy.
    let content: Buffer | null = byPath ? bufferFor(header.size, wanted) : null;
    let received = 0;
    const head: Buffer[] = [];
    let sniffed = sniffing.length === 0;
    const sniff = () => {
      sniffed = true;
      const first = content ? content.subarray(0, received) : Buffer.concat(head, received);
      for (const a of sniffing) {
        if (a.wantsContent!(path, first, header.mode)) wanted.analyzers.push(a);
      }
      if (!content && wanted.analyzers.length) {
        content = bufferFor(header.size, wanted);
        first.copy(content);
      }
      head.length = 0;
    };
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      if (content && received + chunk.length <= content.length) chunk.copy(content, received);
      else if (!sniffed) head.push(chunk);
      received += chunk.length;
      if (!sniffed && received >= HEAD_BYTES) sniff();
    });
    stream.on('end', () => {
      if (!sniffed) sniff();
      if (content) capture(path, header, received === content.length ? content : content.subarray(0, Math.min(received, content.length)), entry, wanted);
      next();
    });
  };

  const extract = tar.extract();
  extract.on('entry', onEntry);
  try {
    await pipeline(content, extract as unknown as NodeJS.WritableStream);
  } catch (e) {
    // Errors of the blob or the decompressor (they carry a code) are the caller's to explain.
    if (e instanceof ImageReadError || (e as { code?: unknown }).code !== undefined) throw e;
    const message = (e as Error).message;
    if (/unexpected end of data/i.test(message)) throw new ImageReadError(`layer ${layer.digest} is truncated (the tar stream ends early)`);
    throw new ImageReadError(`layer ${layer.digest} is not a valid tar archive: ${message}`);
  }
  if (escaping) scan.warnings.push(`layer ${layer.digest}: ignored ${escaping} entr${escaping === 1 ? 'y' : 'ies'} whose path is absolute or escapes the root`);
  if (oversized) scan.warnings.push(`layer ${layer.digest}: ${oversized} wanted file${oversized === 1 ? '' : 's'} larger than ${formatBytes(plan.maxFileBytes)} (maxFileBytes) not read`);
  return scan;
}
