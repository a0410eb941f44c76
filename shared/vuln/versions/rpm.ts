/**
 * RPM versions `[epoch:]version[-release]`, ordered like rpm's rpmvercmp: the epoch as a number
 * (missing = 0), then version, then release. Each of those is split into alphanumeric segments
 * (other characters only separate); digit segments compare as numbers and are newer than letter
 * segments, letter segments compare as strings. `~` sorts before anything, even the end
 * (`1.0~rc1` < `1.0`); `^` sorts after the end but before any further segment
 * (`1.0` < `1.0^git1` < `1.0.1`). When all segments match, the side with segments left is newer.
 * A missing release compares as an empty one (older than any release).
 */
import { compareDigits, compareStrings, isDigit, isLetter, splitEpochRelease } from './digits.ts';

export interface RpmVersion {
  epoch: string;
  version: string;
  release: string;
}

export function parseRpm(text: string): RpmVersion | null {
  const parts = splitEpochRelease(text);
  if (!parts || parts.release === '') return null;
  const release = parts.release ?? '';
  if (parts.version === '' || /\s/.test(parts.version) || /\s/.test(release)) return null;
  return { epoch: parts.epoch, version: parts.version, release };
}

export function compareParsedRpm(a: RpmVersion, b: RpmVersion): number {
  return compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

/** Sign of a - b, or null when either string is not an RPM EVR. */
export function compareRpm(a: string, b: string): number | null {
  const x = parseRpm(a);
  const y = parseRpm(b);
  return x && y ? compareParsedRpm(x, y) : null;
}

const isAlnum = (code: number) => isDigit(code) || isLetter(code);
const TILDE = 126;
const CARET = 94;

/** rpm's segment-wise comparison of one version or release string. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isAlnum(a.charCodeAt(i)) && a.charCodeAt(i) !== TILDE && a.charCodeAt(i) !== CARET) i++;
    while (j < b.length && !isAlnum(b.charCodeAt(j)) && b.charCodeAt(j) !== TILDE && b.charCodeAt(j) !== CARET) j++;

    const ca = i < a.length ? a.charCodeAt(i) : -1;
    const cb = j < b.length ? b.charCodeAt(j) : -1;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1; // `1.0` < `1.0^x`
      if (cb === -1) return 1;
      if (ca !== CARET) return 1; // a has a real segment where b has `^`: a is newer
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === -1 || cb === -1) break;

    const numeric = isDigit(ca);
    const matches = numeric ? isDigit : isLetter;
    const startA = i;
    while (i < a.length && matches(a.charCodeAt(i))) i++;
    const startB = j;
    while (j < b.length && matches(b.charCodeAt(j))) j++;
    const segA = a.slice(startA, i);
    const segB = b.slice(startB, j);
    // Segments of different kinds: the numeric one is newer.
    if (segB === '') return numeric ? 1 : -1;
    const diff = numeric ? compareDigits(segA, segB) : compareStrings(segA, segB);
    if (diff) return diff;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
