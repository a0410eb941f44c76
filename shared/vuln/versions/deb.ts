/**
 * Debian package versions, ordered as dpkg orders them (Debian Policy 5.6.12):
 * `[epoch:]upstream_version[-debian_revision]`. The epoch is compared as a number; upstream and
 * revision alternate non-digit and digit runs. In a non-digit run `~` sorts before everything
 * (even the end of the string), then the end of the string, then letters, then all other
 * characters; digit runs compare as numbers. A missing revision compares like an empty one, which
 * equals `0` (so `1.0` == `1.0-0`).
 */
import { compareDigits, isDigit, isLetter, sign, splitEpochRelease } from './digits.ts';

export interface DebVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const UPSTREAM_CHARS = /^[A-Za-z0-9.+~:-]+$/;
const REVISION_CHARS = /^[A-Za-z0-9.+~]+$/;

/** Null when dpkg would reject the string (empty part, non-numeric epoch, stray characters). */
export function parseDeb(text: string): DebVersion | null {
  const parts = splitEpochRelease(text);
  if (!parts) return null;
  const revision = parts.release ?? '';
  if (parts.release !== null && !REVISION_CHARS.test(revision)) return null;
  if (!UPSTREAM_CHARS.test(parts.version)) return null;
  return { epoch: parts.epoch, upstream: parts.version, revision };
}

export function compareParsedDeb(a: DebVersion, b: DebVersion): number {
  return compareDigits(a.epoch, b.epoch) || compareDebPart(a.upstream, b.upstream) || compareDebPart(a.revision, b.revision);
}

/** Sign of a - b, or null when either string is not a Debian version. */
export function compareDeb(a: string, b: string): number | null {
  const x = parseDeb(a);
  const y = parseDeb(b);
  return x && y ? compareParsedDeb(x, y) : null;
}

/** Weight of one character inside a non-digit run; the end of the string (and a digit) weighs 0. */
function weight(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code === 126) return -1; // '~'
  if (isDigit(code)) return 0;
  if (isLetter(code)) return code;
  return code + 256;
}

/** dpkg's comparison of one upstream version or revision. */
export function compareDebPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit run, character by character.
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const wa = weight(a, i);
      const wb = weight(b, j);
      if (wa !== wb) return sign(wa - wb);
      i++;
      j++;
    }
    // Digit run, as a number.
    const startA = i;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    const startB = j;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    const diff = compareDigits(a.slice(startA, i), b.slice(startB, j));
    if (diff) return diff;
  }
  return 0;
}
