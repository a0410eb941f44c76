/**
 * A small tar (+gzip) writer for test archives, in the shape `git archive` gives the forges'
 * tarball endpoints: ustar headers, a pax global header with the commit id, folder entries, and
 * pax (or GNU) records for names that do not fit a header.
 */
import { gzipSync } from 'node:zlib';

export type TarEntry =
  | { type?: 'file'; path: string; content: string | Buffer; mode?: number }
  | { type: 'directory'; path: string }
  | { type: 'symlink'; path: string; target: string };

export interface TarOptions {
  /** Written as a pax global header (`git archive` puts the commit id there). */
  comment?: string;
  /** How names longer than the ustar fields are written (default pax, as git does). */
  longNames?: 'pax' | 'gnu';
}

const BLOCK = 512;

export function tar(entries: TarEntry[], options: TarOptions = {}): Buffer {
  const blocks: Buffer[] = [];
  if (options.comment !== undefined) blocks.push(...metaEntry('pax_global_header', 'g', paxRecord('comment', options.comment)));
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const path = type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
    const body = entry.type === 'symlink' || entry.type === 'directory' ? Buffer.alloc(0) : toBuffer(entry.content);
    let names = ustarNames(path);
    if (!names) {
      if (options.longNames === 'gnu') blocks.push(...metaEntry('././@LongLink', 'L', Buffer.from(`${path}\0`)));
      else blocks.push(...metaEntry(`PaxHeaders/${path.slice(-80)}`, 'x', paxRecord('path', path)));
      names = { name: Buffer.from(path).subarray(0, 100).toString('latin1'), prefix: '' };
    }
    const mode = entry.type === 'directory' ? 0o755 : entry.type === 'symlink' ? 0o777 : (entry.mode ?? 0o644);
    blocks.push(
      header({
        ...names,
        mode,
        size: body.length,
        typeflag: type === 'directory' ? '5' : type === 'symlink' ? '2' : '0',
        linkname: entry.type === 'symlink' ? entry.target : '',
      }),
      padded(body),
    );
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

export function tarGz(entries: TarEntry[], options: TarOptions = {}): Buffer {
  return gzipSync(tar(entries, options));
}

/**
 * A forge source archive: every file under `<topFolder>/`, preceded by its folders' entries, with
 * the commit id in a pax global header. Paths are written as given (a `../x` key stays hostile).
 */
export function sourceArchive(topFolder: string, files: Record<string, string | Buffer>, commit?: string): Buffer {
  const entries: TarEntry[] = [{ type: 'directory', path: topFolder }];
  const folders = new Set<string>();
  for (const path of Object.keys(files).sort()) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (!folders.has(folder)) {
        folders.add(folder);
        entries.push({ type: 'directory', path: `${topFolder}/${folder}` });
      }
    }
    entries.push({ path: `${topFolder}/${path}`, content: files[path] });
  }
  return tarGz(entries, commit ? { comment: commit } : {});
}

function toBuffer(content: string | Buffer): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
}

function padded(body: Buffer): Buffer {
  const rest = body.length % BLOCK;
  return rest ? Buffer.concat([body, Buffer.alloc(BLOCK - rest)]) : body;
}

/** The path as ustar `name` (100 bytes) plus optional `prefix` (155 bytes), or null when it cannot be. */
function ustarNames(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { name, prefix };
  }
  return null;
}

/** `<length> <key>=<value>\n`, where the length counts the whole record including its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const rest = ` ${key}=${value}\n`;
  const restBytes = Buffer.byteLength(rest);
  let length = restBytes + 1;
  while (String(length).length + restBytes !== length) length = String(length).length + restBytes;
  return Buffer.from(`${length}${rest}`);
}

function metaEntry(name: string, typeflag: string, body: Buffer): Buffer[] {
  return [header({ name, prefix: '', mode: 0o644, size: body.length, typeflag, linkname: '' }), padded(body)];
}

function header(fields: { name: string; prefix: string; mode: number; size: number; typeflag: string; linkname: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  const text = (value: string, offset: number, length: number) => Buffer.from(value, 'utf8').copy(block, offset, 0, length);
  const octal = (value: number, offset: number, length: number) => text(value.toString(8).padStart(length - 1, '0') + '\0', offset, length);
  text(fields.name, 0, 100);
  octal(fields.mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(fields.size, 124, 12);
  octal(1_700_000_000, 136, 12);
  text(fields.typeflag, 156, 1);
  text(fields.linkname, 157, 100);
  text('ustar\u000000', 257, 8);
  text('git', 265, 32);
  text('git', 297, 32);
  text(fields.prefix, 345, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  text(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return block;
}
