/** Characters kept at each end of a masked secret. */
const KEEP_START = 4;
const KEEP_END = 2;
/** Below this length the kept characters would give away too much of the secret, so all of it is masked. */
const SHORTEST_PARTLY_SHOWN = 12;

/** `AKIA2OGYBAH6TPZLNW5Q` → `AKIA**************5Q`: keeps the first 4 and last 2 characters, short secrets fully masked. */
export function maskSecret(secret: string): string {
  const chars = [...secret];
  if (chars.length < SHORTEST_PARTLY_SHOWN) return '*'.repeat(chars.length);
  return chars.slice(0, KEEP_START).join('') + '*'.repeat(chars.length - KEEP_START - KEEP_END) + chars.slice(-KEEP_END).join('');
}
