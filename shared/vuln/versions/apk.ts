/**
 * Alpine (apk) package versions: `digits{.digits}...{letter}{_suffix{digits}}...{~hash}{-rN}`, as
 * apk-tools orders them. The version is read as a sequence of typed tokens and compared token by
 * token while both sides have a token of the same type:
 * - the first number and suffix/revision numbers compare as numbers; a later dotted number
 *   compares as a number unless either side has a leading zero, then as a string (`1.01` < `1.1`),
 * - a letter by its character, a commit hash as a string,
 * - suffixes in the order `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git`
 *   < `_hg` < `_p`.
 * When one side runs out or the token types differ, a pre-release suffix makes its side older;
 * otherwise the side whose token comes later in the grammar (a letter after a dotted number, the
 * end of the string after everything) is the older one: `1.0` < `1.0.1`, `1.0a` < `1.0.1`,
 * `1.0` < `1.0-r1`, `1.0` < `1.0_p1`, `1.0_rc1` < `1.0`.
 */
import { compareDigits, compareStrings, isDigit, isLowerLetter } from './digits.ts';

/** Token kinds in grammar order; the order matters for the comparison of differing kinds. */
const Kind = { InitialDigit: 0, Digit: 1, Letter: 2, Suffix: 3, SuffixNumber: 4, CommitHash: 5, Revision: 6, End: 7 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];
const NO_SUFFIX = SUFFIXES.indexOf('');

interface Token {
  kind: Kind;
  text: string;
  /** Rank in SUFFIXES for suffix tokens. */
  suffix: number;
}

/** The tokens of a version, ending with an End token; null when apk would call it invalid. */
export function tokenizeApk(text: string): Token[] | null {
  const v = text.trim();
  const tokens: Token[] = [];
  let i = 0;
  const digitsFrom = (start: number) => {
    let end = start;
    while (end < v.length && isDigit(v.charCodeAt(end))) end++;
    return end;
  };
  let end = digitsFrom(0);
  if (end === 0) return null;
  tokens.push({ kind: Kind.InitialDigit, text: v.slice(0, end), suffix: NO_SUFFIX });
  i = end;
  let last: Kind = Kind.InitialDigit;
  while (i < v.length) {
    const code = v.charCodeAt(i);
    if (isLowerLetter(code)) {
      if (last > Kind.Digit) return null;
      tokens.push({ kind: Kind.Letter, text: v[i], suffix: NO_SUFFIX });
      last = Kind.Letter;
      i++;
    } else if (code === 46 /* . */ || isDigit(code)) {
      if (code === 46 && last > Kind.Digit) return null;
      const start = code === 46 ? i + 1 : i;
      let kind: Kind;
      if (last === Kind.InitialDigit || last === Kind.Digit) kind = Kind.Digit;
      else if (last === Kind.Suffix) kind = Kind.SuffixNumber;
      else return null;
      end = digitsFrom(start);
      if (end === start) return null;
      tokens.push({ kind, text: v.slice(start, end), suffix: NO_SUFFIX });
      last = kind;
      i = end;
    } else if (code === 95 /* _ */) {
      if (last > Kind.SuffixNumber) return null;
      end = i + 1;
      while (end < v.length && isLowerLetter(v.charCodeAt(end))) end++;
      const name = v.slice(i + 1, end);
      const rank = name === '' ? -1 : SUFFIXES.indexOf(name);
      if (rank < 0) return null;
      tokens.push({ kind: Kind.Suffix, text: name, suffix: rank });
      last = Kind.Suffix;
      i = end;
    } else if (code === 126 /* ~ */) {
      if (last >= Kind.CommitHash) return null;
      end = i + 1;
      while (end < v.length && /[0-9a-fA-F]/.test(v[end])) end++;
      if (end === i + 1) return null;
      tokens.push({ kind: Kind.CommitHash, text: v.slice(i + 1, end), suffix: NO_SUFFIX });
      last = Kind.CommitHash;
      i = end;
    } else if (code === 45 /* - */) {
      if (last >= Kind.Revision || v[i + 1] !== 'r') return null;
      end = digitsFrom(i + 2);
      if (end === i + 2) return null;
      tokens.push({ kind: Kind.Revision, text: v.slice(i + 2, end), suffix: NO_SUFFIX });
      last = Kind.Revision;
      i = end;
    } else {
      return null;
    }
  }
  tokens.push({ kind: Kind.End, text: '', suffix: NO_SUFFIX });
  return tokens;
}

function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      if (a.text[0] === '0' || b.text[0] === '0') return compareStrings(a.text, b.text);
      return compareDigits(a.text, b.text);
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareDigits(a.text, b.text);
    case Kind.Suffix:
      return Math.sign(a.suffix - b.suffix);
    default:
      return compareStrings(a.text, b.text);
  }
}

export function compareParsedApk(a: Token[], b: Token[]): number {
  let i = 0;
  while (a[i].kind === b[i].kind && a[i].kind !== Kind.End) {
    const diff = compareTokens(a[i], b[i]);
    if (diff) return diff;
    i++;
  }
  const x = a[i];
  const y = b[i];
  if (x.kind === y.kind) return 0;
  if (x.kind === Kind.Suffix && x.suffix < NO_SUFFIX) return -1;
  if (y.kind === Kind.Suffix && y.suffix < NO_SUFFIX) return 1;
  return x.kind > y.kind ? -1 : 1;
}

/** Sign of a - b, or null when either string is not a valid apk version. */
export function compareApk(a: string, b: string): number | null {
  const x = tokenizeApk(a);
  const y = tokenizeApk(b);
  return x && y ? compareParsedApk(x, y) : null;
}
