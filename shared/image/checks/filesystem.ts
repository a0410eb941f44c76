// Views of an image's layers that several checks share: the final filesystem's entries, file texts,
// and the account databases (/etc/passwd, /etc/group, /etc/shadow).
import type { LayerEntry, LayerFile } from '../analyzer.ts';
import type { ImageFacts } from './check.ts';

/** A tar path as the checks compare it: no leading `./` or `/`, no trailing `/`. */
export function normalizePath(path: string): string {
  return path.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
}

const finalEntryCache = new WeakMap<ImageFacts, Map<string, LayerEntry>>();

/**
 * The entries of the final filesystem by path: the last layer's version of each path, unless a
 * whiteout (or an opaque directory) removed it. Whiteout markers themselves are not files.
 */
export function finalEntries(image: ImageFacts): Map<string, LayerEntry> {
  let final = finalEntryCache.get(image);
  if (final) return final;
  final = new Map();
  const latest = new Map<string, LayerEntry>();
  for (const entry of image.entries) {
    const path = normalizePath(entry.path);
    if (path === '' || isWhiteoutMarker(path)) continue;
    const seen = latest.get(path);
    if (!seen || seen.layerIndex <= entry.layerIndex) latest.set(path, entry);
  }
  for (const [path, entry] of latest) if (!entry.deleted) final.set(path, entry);
  finalEntryCache.set(image, final);
  return final;
}

const finalFileCache = new WeakMap<ImageFacts, string[]>();

/** Regular files of the final filesystem under a directory (no leading `/`), found in a sorted path list built once per image. */
export function finalFilesUnder(image: ImageFacts, directory: string): string[] {
  let paths = finalFileCache.get(image);
  if (!paths) {
    paths = [...finalEntries(image)].filter(([, e]) => isRegular(e)).map(([path]) => path).sort();
    finalFileCache.set(image, paths);
  }
  const prefix = `${directory}/`;
  let low = 0;
  let high = paths.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (paths[mid] < prefix) low = mid + 1;
    else high = mid;
  }
  const out: string[] = [];
  for (let i = low; i < paths.length && paths[i].startsWith(prefix); i++) out.push(paths[i]);
  return out;
}

export function isWhiteoutMarker(path: string): boolean {
  return /(?:^|\/)\.wh\./.test(path);
}

const deletedCache = new WeakMap<ImageFacts, Set<string>>();

/** Removed by a later layer's whiteout or opaque-directory marker (not merely replaced by a newer version). */
export function whitedOut(entry: Pick<LayerEntry, 'deleted' | 'removal'>): boolean {
  return entry.deleted && entry.removal?.by !== 'replaced';
}

/** Whether a layer's version of a path was removed by a whiteout (or opaque directory) in a later layer. */
export function deletedInLaterLayer(image: ImageFacts, path: string, layerIndex: number): boolean {
  let deleted = deletedCache.get(image);
  if (!deleted) {
    deleted = new Set(image.entries.filter(whitedOut).map((e) => `${e.layerIndex}\u0000${normalizePath(e.path)}`));
    deletedCache.set(image, deleted);
  }
  return deleted.has(`${layerIndex}\u0000${normalizePath(path)}`);
}

/** The final filesystem's text of a wanted file, or null when it is absent. */
export function finalText(image: ImageFacts, path: string): string | null {
  const file = image.files.get(path);
  return file ? file.content.toString('utf8') : null;
}

export function textOf(file: LayerFile): string {
  return file.content.toString('utf8');
}

export function isRegular(entry: LayerEntry): boolean {
  return entry.type === 'file' || entry.type === 'hardlink';
}

/** The digest of the layer at an index, and the history entry that made it. */
export function layerOf(image: ImageFacts, layerIndex: number): { layerDigest: string | null; historyIndex: number | null } {
  const layer = image.layers[layerIndex];
  return { layerDigest: layer?.digest ?? null, historyIndex: layer?.historyIndex ?? null };
}

export interface PasswdEntry {
  name: string;
  uid: string;
  gid: string;
  line: number;
}

/** `name:password:uid:gid:gecos:home:shell` lines (comments and malformed lines skipped). */
export function parsePasswd(text: string): PasswdEntry[] {
  return colonLines(text, 4).map(({ fields, line }) => ({ name: fields[0], uid: fields[2], gid: fields[3], line }));
}

export interface GroupEntry {
  name: string;
  gid: string;
  line: number;
}

/** `name:password:gid:members` lines. */
export function parseGroup(text: string): GroupEntry[] {
  return colonLines(text, 3).map(({ fields, line }) => ({ name: fields[0], gid: fields[2], line }));
}

export interface ShadowEntry {
  name: string;
  password: string;
  line: number;
}

/** `name:password:lastchange:...` lines. */
export function parseShadow(text: string): ShadowEntry[] {
  return colonLines(text, 2).map(({ fields, line }) => ({ name: fields[0], password: fields[1], line }));
}

function colonLines(text: string, minFields: number): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const fields = line.split(':');
    if (fields.length >= minFields && fields[0] !== '') out.push({ fields, line: i + 1 });
  });
  return out;
}

/** The user part of `config.User` (`app`, `1000`, `1000:1000`, `app:staff`). */
export function configuredUser(image: ImageFacts): string {
  const user = (image.config.config?.User ?? '').trim();
  const colon = user.indexOf(':');
  return colon < 0 ? user : user.slice(0, colon);
}

export const PASSWD = 'etc/passwd';
export const GROUP = 'etc/group';
export const SHADOW = 'etc/shadow';
