/**
 * Python package versions per PEP 440 (the version specifiers spec):
 * `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`, read case-insensitively with the spellings
 * the spec normalises: an optional leading `v`; `alpha`, `beta`, `c`, `pre`, `preview` for a, b,
 * rc; `-N`, `rev`, `r` for post; `-`, `_` or `.` (or nothing) as separators; a missing pre, post or
 * dev number is 0. Ordering: epoch; release with trailing zeros ignored (`1.0` == `1.0.0`);
 * then a dev-only version (`1.0.dev1`) < pre-releases (a < b < rc, each by number) < the release;
 * post-releases after it; within each, a `.devN` comes before its version without it; finally a
 * local version (`+ubuntu1`) sorts after the same public version, segment by segment with numbers
 * after words and numbers compared as numbers.
 */
import { compareDigits, compareStrings } from './digits.ts';

export interface Pep440Version {
  epoch: string;
  release: string[];
  pre: { phase: 0 | 1 | 2; number: string } | null;
  post: string | null;
  dev: string | null;
  local: string[] | null;
}

const SEP = '[-_.]?';
const PEP440 = new RegExp(
  '^v?' +
    '(?:(\\d+)!)?' + // epoch
    '(\\d+(?:\\.\\d+)*)' + // release
    `(?:${SEP}(alpha|a|beta|b|preview|pre|rc|c)${SEP}(\\d+)?)?` + // pre-release
    `(?:-(\\d+)|${SEP}(post|rev|r)${SEP}(\\d+)?)?` + // post-release: `-N`, or a keyword and an optional number
    `(?:${SEP}(dev)${SEP}(\\d+)?)?` + // development release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$', // local version
  'i',
);
// Groups: 1 epoch, 2 release, 3 pre phase, 4 pre number, 5 post `-N`, 6 post keyword, 7 post number,
// 8 dev keyword, 9 dev number, 10 local.

const PHASES: Record<string, 0 | 1 | 2> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(text: string): Pep440Version | null {
  const v = text.trim().toLowerCase();
  const m = PEP440.exec(v);
  if (!m) return null;
  const release = m[2].split('.');
  while (release.length > 1 && /^0+$/.test(release[release.length - 1])) release.pop();
  return {
    epoch: m[1] ?? '0',
    release,
    pre: m[3] ? { phase: PHASES[m[3]], number: m[4] ?? '0' } : null,
    post: m[5] ?? (m[6] ? (m[7] ?? '0') : null),
    dev: m[8] ? (m[9] ?? '0') : null,
    local: m[10] ? m[10].split(/[-_.]/) : null,
  };
}

/** Compares optional numbers where "absent" sorts at `absent` (-1 = before all, 1 = after all). */
function compareOptional(a: string | null, b: string | null, absent: -1 | 1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? absent : -absent;
  return compareDigits(a, b);
}

function compareRelease(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (diff) return diff;
  }
  return 0;
}

/** The pre-release key: dev-only releases before every pre-release, no pre-release after them. */
function preKey(v: Pep440Version): [number, string] {
  if (v.pre) return [v.pre.phase, v.pre.number];
  if (v.post === null && v.dev !== null) return [-1, '0'];
  return [3, '0'];
}

function compareLocal(a: string[] | null, b: string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const an = /^\d+$/.test(a[i]);
    const bn = /^\d+$/.test(b[i]);
    if (an !== bn) return an ? 1 : -1;
    const diff = an ? compareDigits(a[i], b[i]) : compareStrings(a[i], b[i]);
    if (diff) return diff;
  }
  return Math.sign(a.length - b.length);
}

export function compareParsedPep440(a: Pep440Version, b: Pep440Version): number {
  const [phaseA, numberA] = preKey(a);
  const [phaseB, numberB] = preKey(b);
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    Math.sign(phaseA - phaseB) ||
    compareDigits(numberA, numberB) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

/** Sign of a - b, or null when either string is not a PEP 440 version. */
export function comparePep440(a: string, b: string): number | null {
  const x = parsePep440(a);
  const y = parsePep440(b);
  return x && y ? compareParsedPep440(x, y) : null;
}
