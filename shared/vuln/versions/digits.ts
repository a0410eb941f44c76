/**
 * Helpers the version schemes share. Numeric parts are compared as digit strings (leading zeros
 * dropped, then by length, then lexically) so that versions with 20-digit timestamps or other
 * numbers past 2^53 still order exactly.
 */

/** Sign of a - b for two runs of ASCII digits (either may be empty, which counts as 0). */
export function compareDigits(a: string, b: string): number {
  const x = stripLeadingZeros(a);
  const y = stripLeadingZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits === '' ? '0' : digits.slice(i);
}

/** Plain code-unit order: the last resort for strings a scheme cannot parse. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;
export const isLowerLetter = (code: number): boolean => code >= 97 && code <= 122;
export const isLetter = (code: number): boolean => isLowerLetter(code) || (code >= 65 && code <= 90);

/**
 * `[epoch:]version[-release]` as dpkg and rpm write it: the epoch before the first colon (digits,
 * default `0`), the release after the last hyphen (`''` when there is none). Null for a non-numeric epoch.
 */
export function splitEpochRelease(text: string): { epoch: string; version: string; release: string | null } | null {
  let version = text.trim();
  let epoch = '0';
  const colon = version.indexOf(':');
  if (colon >= 0) {
    epoch = version.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return null;
    version = version.slice(colon + 1);
  }
  const hyphen = version.lastIndexOf('-');
  if (hyphen < 0) return { epoch, version, release: null };
  return { epoch, version: version.slice(0, hyphen), release: version.slice(hyphen + 1) };
}
