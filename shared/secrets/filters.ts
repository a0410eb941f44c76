// Value filters every secret pattern gets (image.md "Secret patterns"): an entropy floor and a placeholder allowlist.

/** Bits per character below which a captured value is too regular to be a real secret. */
export const ENTROPY_FLOOR = 3.0;

/** Shannon entropy of a string in bits per character (0 for the empty string). */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  let length = 0;
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
    length++;
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** What documentation, templates and fixtures write instead of a real secret (case-insensitive). */
const PLACEHOLDER = /example|xxxx|\*\*\*\*|<[^>]*>|\$\{[^}]*\}|your_|dummy|test|sample/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}
