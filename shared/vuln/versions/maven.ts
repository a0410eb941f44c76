/**
 * Maven artifact versions, ordered like Maven's ComparableVersion (the "version order
 * specification" of the POM reference). The lower-cased version is cut into items at `.`, at `-`
 * and where digits and letters meet; `-` and a digit/letter change open a nested list, so
 * `1.0-rc-1` reads as [1, 0, [rc, [1]]]. Empty items read as 0. Trailing "null" items (0, the
 * release qualifiers, empty lists) are trimmed at the end of every list, so `1.0.0` == `1` and
 * `1-ga` == `1`. Items compare as:
 * - numbers numerically, and a number is newer than a qualifier or a nested list (`1.1` > `1-1`);
 * - qualifiers by rank: alpha (a) < beta (b) < milestone (m) < rc = cr < snapshot
 *   < "" = ga = final = release < sp < any other word (those alphabetically); the one-letter
 *   forms only when a digit follows (`1a1` == `1-alpha-1`);
 * - a nested list is newer than a qualifier and older than a number;
 * - a missing item (the shorter version padded) counts as 0 / the release qualifier, so
 *   `1-snapshot` < `1` < `1-sp` and `1` < `1.1`.
 */
import { compareDigits, compareStrings, isDigit } from './digits.ts';

type Item = { kind: 'number'; digits: string } | { kind: 'qualifier'; rank: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORT_FORMS: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));

/** Known qualifiers rank by position; unknown ones after all of them, alphabetically. */
function qualifierRank(word: string, followedByDigit: boolean): string {
  let value = followedByDigit && word.length === 1 ? (SHORT_FORMS[word] ?? word) : word;
  value = ALIASES[value] ?? value;
  const index = QUALIFIERS.indexOf(value);
  return index >= 0 ? String(index) : `${QUALIFIERS.length}-${value}`;
}

const numberItem = (digits: string): Item => ({ kind: 'number', digits });

function isNullItem(item: Item): boolean {
  if (item.kind === 'number') return /^0+$/.test(item.digits);
  if (item.kind === 'qualifier') return item.rank === RELEASE_RANK;
  return item.items.length === 0;
}

/** Trims trailing null items, looking past nested lists (which are trimmed themselves first). */
function normalize(items: Item[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (isNullItem(item)) items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

export function parseMaven(text: string): Item[] | null {
  const version = text.trim().toLowerCase();
  if (version === '') return null;
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  let digits = false;
  let start = 0;
  const openList = () => {
    const nested: Item[] = [];
    list.push({ kind: 'list', items: nested });
    lists.push(nested);
    list = nested;
  };
  const token = (end: number): Item => {
    const text = version.slice(start, end);
    return digits ? numberItem(text) : { kind: 'qualifier', rank: qualifierRank(text, false) };
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i];
    if (c === '.' || c === '-') {
      list.push(i === start ? numberItem('0') : token(i));
      start = i + 1;
      if (c === '-') openList();
    } else if (isDigit(version.charCodeAt(i))) {
      if (!digits && i > start) {
        list.push({ kind: 'qualifier', rank: qualifierRank(version.slice(start, i), true) });
        start = i;
        openList();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.push(token(i));
        start = i;
        openList();
      }
      digits = false;
    }
  }
  if (version.length > start) list.push(token(version.length));
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]);
  return root;
}

/** One item against another, or against a missing item (null). */
function compareItem(a: Item, b: Item | null): number {
  switch (a.kind) {
    case 'number':
      if (b === null) return isNullItem(a) ? 0 : 1;
      return b.kind === 'number' ? compareDigits(a.digits, b.digits) : 1;
    case 'qualifier':
      if (b === null) return compareStrings(a.rank, RELEASE_RANK);
      return b.kind === 'qualifier' ? compareStrings(a.rank, b.rank) : -1;
    case 'list':
      if (b === null) return a.items.length === 0 ? 0 : compareItem(a.items[0], null);
      if (b.kind === 'number') return -1;
      if (b.kind === 'qualifier') return 1;
      return compareLists(a.items, b.items);
  }
}

function compareLists(a: Item[], b: Item[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    const diff = x === null ? (y === null ? 0 : -compareItem(y, null)) : compareItem(x, y);
    if (diff) return Math.sign(diff);
  }
  return 0;
}

export const compareParsedMaven = compareLists;

/** Sign of a - b, or null when either string is empty. */
export function compareMaven(a: string, b: string): number | null {
  const x = parseMaven(a);
  const y = parseMaven(b);
  return x && y ? compareLists(x, y) : null;
}
