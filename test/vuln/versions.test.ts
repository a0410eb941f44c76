import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, type VersionScheme } from '../../shared/index.ts';
import { isValidVersion, VERSION_SCHEMES } from '../../shared/vuln/versions/index.ts';

type Case = [string, '<' | '=' | '>', string];

/** Each case is checked both ways round: a op b, and b (mirrored op) a. */
function checkTable(scheme: VersionScheme, cases: Case[]) {
  for (const [a, op, b] of cases) {
    const expected = op === '<' ? -1 : op === '>' ? 1 : 0;
    it(`${a} ${op} ${b}`, () => {
      expect(Math.sign(compareVersions(scheme, a, b))).toBe(expected);
      expect(Math.sign(compareVersions(scheme, b, a))).toBe(expected === 0 ? 0 : -expected);
    });
  }
}

describe('deb (dpkg, Debian Policy 5.6.12)', () => {
  checkTable('deb', [
    ['1.0', '<', '1.1'],
    ['1.9', '<', '1.10'], // digit runs compare as numbers
    ['1.002', '=', '1.2'],
    ['1:0.1', '>', '9.9'], // epoch first
    ['0:1.0', '=', '1.0'],
    ['1.0~rc1', '<', '1.0'], // ~ before the end of the string
    ['1.0~~', '<', '1.0~'],
    ['1.0~~a', '<', '1.0~'],
    ['1.0~', '<', '1.0'],
    ['1.0~rc1', '<', '1.0~rc2'],
    ['1.0~beta', '<', '1.0~rc'],
    ['1.0', '<', '1.0a'], // end before letters
    ['1.0a', '<', '1.0+'], // letters before other characters
    ['1.0+', '<', '1.0.'], // '+' (43) before '.' (46), both non-letters
    ['1.0a', '<', '1.0b'],
    ['1.0Z', '<', '1.0a'], // letters compare by ASCII
    ['1.0', '=', '1.0-0'], // missing revision == empty == 0
    ['1.0-1', '<', '1.0-2'],
    ['1.0-9', '<', '1.0-10'],
    ['1.2-3', '<', '1.2-3+deb12u1'],
    ['1.2-3+deb12u1', '<', '1.2-3+deb12u2'],
    ['1.2-3+b1', '<', '1.2-3+deb12u1'], // binNMU of the older revision
    ['2.36-9+deb12u4', '<', '2.36-9+deb12u10'],
    ['1.1.1n-0+deb11u5', '<', '1.1.1w-0+deb11u1'],
    ['3.0.11-1~deb12u2', '<', '3.0.11-1'], // backport-style revision
    ['1.0-1ubuntu1', '>', '1.0-1'],
    ['1.0-1ubuntu0.1', '<', '1.0-1ubuntu1'],
    ['2:8.2.2434-3+deb11u1', '>', '1:9.0-1'],
    ['1.0-a-1', '>', '1.0-a'], // upstream may hold '-' when a revision follows: upstream 1.0-a vs 1.0
    ['10', '>', '9'],
    ['1.0.0', '>', '1.0'],
  ]);
});

describe('apk (apk-tools)', () => {
  checkTable('apk', [
    ['1.0', '<', '1.1'],
    ['1.9', '<', '1.10'],
    ['1.0', '<', '1.0.1'],
    ['1.0_alpha', '<', '1.0_beta'],
    ['1.0_beta', '<', '1.0_pre'],
    ['1.0_pre', '<', '1.0_rc'],
    ['1.0_rc1', '<', '1.0'],
    ['1.0', '<', '1.0_cvs'],
    ['1.0_cvs', '<', '1.0_svn'],
    ['1.0_svn', '<', '1.0_git'],
    ['1.0_git', '<', '1.0_hg'],
    ['1.0_hg', '<', '1.0_p'],
    ['1.0_p1', '<', '1.0_p2'],
    ['1.0_rc1', '<', '1.0_rc2'],
    ['1.0_alpha1', '<', '1.0_alpha10'],
    ['1.0', '<', '1.0-r1'],
    ['1.0-r1', '<', '1.0-r2'],
    ['1.0-r9', '<', '1.0-r10'],
    ['1.0_rc1-r5', '<', '1.0-r0'],
    ['1.0_p1-r0', '>', '1.0-r9'],
    ['1.0', '<', '1.0a'], // a letter is newer than nothing
    ['1.0a', '<', '1.0b'],
    ['1.0a', '<', '1.0.1'], // but older than a further dotted number
    ['1.01', '<', '1.1'], // leading zero: compared as strings (fraction-like)
    ['1.001', '<', '1.01'],
    ['1.0', '=', '1.0'],
    ['3.1.4-r5', '<', '3.1.4-r10'],
    ['3.0.12-r0', '<', '3.0.13-r0'],
    ['1.36.1-r15', '<', '1.36.1-r16'],
    ['1.0~abc', '<', '1.0~abd'], // commit hashes compare as strings
    ['1.0~abc', '>', '1.0'],
    ['1.0~abc-r1', '>', '1.0~abc'],
    ['2', '>', '1.99'],
  ]);
});

describe('rpm (rpmvercmp)', () => {
  checkTable('rpm', [
    ['1.0', '<', '1.1'],
    ['1.9', '<', '1.10'],
    ['1.0', '=', '1.0'],
    ['1.0', '<', '1.0.1'],
    ['1.0a', '>', '1.0'], // leftover segment wins
    ['1.0a', '<', '1.0.1'], // letter segment vs number: number newer
    ['2a', '<', '2.0'],
    ['1.0_1', '=', '1.0.1'], // separators only separate
    ['1..0', '=', '1.0'],
    ['a', '<', 'b'],
    ['1.0~rc1', '<', '1.0'], // tilde before everything, even the end
    ['1.0~rc1', '<', '1.0~rc2'],
    ['1.0~~', '<', '1.0~'],
    ['1.0', '<', '1.0^'], // caret after the end
    ['1.0', '<', '1.0^git1'],
    ['1.0^git1', '<', '1.0.1'], // but before any further segment
    ['1.0^git1', '<', '1.0^git2'],
    ['1.0~rc1^git1', '<', '1.0~rc1^git2'],
    ['1.0~rc1^git1', '<', '1.0'],
    ['1:1.0', '>', '2.0'], // epoch
    ['0:1.0', '=', '1.0'],
    ['1.0-1', '<', '1.0-2'],
    ['1.0-1.el9', '<', '1.0-1.el9_1'],
    ['3.0.7-24.el9', '<', '3.0.7-27.el9'],
    ['1:3.0.7-27.el9', '>', '3.0.7-28.el9'],
    ['1.0', '<', '1.0-1'], // a missing release is older than any
    ['001', '=', '1'], // leading zeros ignored
    ['1.0.0', '>', '1.0'],
  ]);
});

describe('semver (SemVer 2.0.0: npm, Go, crates.io)', () => {
  checkTable('semver', [
    ['1.0.0', '<', '2.0.0'],
    ['2.0.0', '<', '2.1.0'],
    ['2.1.0', '<', '2.1.1'],
    ['1.9.0', '<', '1.10.0'],
    ['1.0.0-alpha', '<', '1.0.0-alpha.1'], // the semver.org precedence chain
    ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '<', '1.0.0-beta'],
    ['1.0.0-beta', '<', '1.0.0-beta.2'],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
    ['1.0.0-beta.11', '<', '1.0.0-rc.1'],
    ['1.0.0-rc.1', '<', '1.0.0'],
    ['1.0.0-1', '<', '1.0.0-a'], // numeric identifiers before alphanumeric
    ['1.0.0+build.1', '=', '1.0.0+build.2'], // build metadata ignored
    ['1.0.0+build', '=', '1.0.0'],
    ['v1.2.3', '=', '1.2.3'], // Go's v prefix
    ['v2.0.0+incompatible', '=', 'v2.0.0'],
    ['v0.0.0-20210101120000-abcdef123456', '<', 'v0.0.0-20220101120000-012345abcdef'], // pseudo-versions by time
    ['v0.0.0-20210101120000-abcdef123456', '<', 'v0.0.1'],
    ['v1.2.4-0.20210101120000-abcdef123456', '>', 'v1.2.3'],
    ['v1.2.4-0.20210101120000-abcdef123456', '<', 'v1.2.4'],
    ['v1.2.4-pre.0.20210101120000-abcdef123456', '>', 'v1.2.4-pre'],
    ['1.2', '=', '1.2.0'], // lenient: missing parts are 0
    ['=1.2.3', '=', '1.2.3'],
    ['10000000000000000000.0.0', '>', '9999999999999999999.0.0'], // numbers past 2^53
  ]);
});

describe('pypi (PEP 440)', () => {
  // The ordering example of the version specifiers spec, as consecutive pairs.
  const specOrder = [
    '1.dev0',
    '1.0.dev456',
    '1.0a1',
    '1.0a2.dev456',
    '1.0a12.dev456',
    '1.0a12',
    '1.0b1.dev456',
    '1.0b2',
    '1.0b2.post345.dev456',
    '1.0b2.post345',
    '1.0b2-346',
    '1.0c1.dev456',
    '1.0c1',
    '1.0rc2',
    '1.0c3',
    '1.0',
    '1.0.post456.dev34',
    '1.0.post456',
    '1.1.dev1',
  ];
  checkTable(
    'pypi',
    specOrder.slice(1).map((v, i): Case => [specOrder[i], '<', v]),
  );
  checkTable('pypi', [
    ['1.0', '=', '1.0.0'], // implicit zeros
    ['1.0', '=', '1'],
    ['1.0', '<', '1.0.1'],
    ['1!0.1', '>', '2.0'], // epoch
    ['0!1.0', '=', '1.0'],
    ['1.0alpha1', '=', '1.0a1'], // spellings
    ['1.0-beta.2', '=', '1.0b2'],
    ['1.0pre1', '=', '1.0rc1'],
    ['1.0preview1', '=', '1.0rc1'],
    ['1.0c1', '=', '1.0rc1'],
    ['1.0.RC1', '=', '1.0rc1'], // case-insensitive
    ['1.0a', '=', '1.0a0'], // implicit pre number
    ['1.0-1', '=', '1.0.post1'], // -N is a post-release
    ['1.0-post', '=', '1.0.post0'],
    ['1.0.rev3', '=', '1.0.post3'],
    ['1.0r3', '=', '1.0.post3'],
    ['1.0.dev', '=', '1.0.dev0'],
    ['v1.0', '=', '1.0'],
    [' 1.0 ', '=', '1.0'],
    ['1.0_a_1', '=', '1.0a1'],
    ['1.0', '<', '1.0+local'], // local after public
    ['1.0+abc', '<', '1.0+abc.1'],
    ['1.0+abc.5', '<', '1.0+abc.10'],
    ['1.0+abc', '<', '1.0+5'], // numbers after words
    ['1.0+ubuntu-1', '=', '1.0+ubuntu.1'],
    ['1.0.post1', '<', '1.1a1'],
    ['2.0.dev1', '<', '2.0a1.dev1'],
    ['1.0a1.post1', '<', '1.0a2'],
  ]);
});

describe('maven (ComparableVersion)', () => {
  checkTable('maven', [
    ['1', '<', '1.1'],
    ['1', '=', '1.0'],
    ['1', '=', '1.0.0'],
    ['1.9', '<', '1.10'],
    ['1-alpha', '<', '1-beta'],
    ['1-beta', '<', '1-milestone'],
    ['1-milestone', '<', '1-rc'],
    ['1-rc', '=', '1-cr'],
    ['1-rc', '<', '1-snapshot'],
    ['1-snapshot', '<', '1'],
    ['1', '=', '1-ga'],
    ['1', '=', '1.final'],
    ['1', '=', '1.RELEASE'],
    ['1', '<', '1-sp'],
    ['1-sp', '<', '1-foo'], // unknown qualifiers after the known ones
    ['1-bar', '<', '1-foo'], // and alphabetically among themselves
    ['1-foo2', '<', '1-foo10'], // a letter/digit change splits: numbers compare as numbers
    ['1-1', '<', '1.1'], // '.' number newer than '-' number
    ['1-sp', '<', '1-1'], // a nested list newer than a qualifier
    ['1-a1', '=', '1-alpha-1'], // one-letter forms before a digit
    ['1-b2', '=', '1-beta-2'],
    ['1-m3', '=', '1-milestone-3'],
    ['1-a', '>', '1'], // ...and not otherwise: 'a' is an unknown word then
    ['1.0-RC1', '=', '1.0-cr1'],
    ['1.0-rc1', '<', '1.0-rc2'],
    ['1.0-alpha-1', '<', '1.0-alpha-2'],
    ['1.0-SNAPSHOT', '<', '1.0'],
    ['1.0-SNAPSHOT', '>', '1.0-rc1'],
    ['2.0.0.RELEASE', '=', '2.0.0'],
    ['5.3.18', '<', '5.3.20'],
    ['2.17.0', '<', '2.17.1'],
    ['2.14.0-rc1', '<', '2.14.0'],
    ['1.0.0.Final', '=', '1.0.0'],
    ['1.0-sp1', '>', '1.0'],
    ['1.0.1', '>', '1.0-sp1'],
    ['12345678901234567890', '>', '12345678901234567889'], // big numbers
  ]);
});

// --- properties -----------------------------------------------------------------------------------

const digits = fc.integer({ min: 0, max: 120 }).map(String);
const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const joined = (parts: fc.Arbitrary<string>, min: number, max: number) => fc.array(parts, { minLength: min, maxLength: max }).map((p) => p.join(''));

/** Generators of valid versions for each scheme, from the grammar each documents. */
const VALID: Record<VersionScheme, fc.Arbitrary<string>> = {
  deb: fc
    .tuple(
      fc.option(pick('0', '1', '2'), { nil: undefined }),
      digits,
      joined(fc.oneof(digits, pick('.', '+', '~', 'a', 'b', 'z', 'rc', '~rc', '.0', 'A')), 0, 5),
      fc.option(joined(fc.oneof(digits, pick('.', '+', '~', 'deb', 'u', 'b', 'ubuntu')), 1, 4), { nil: undefined }),
    )
    .map(([epoch, first, rest, revision]) => `${epoch ? `${epoch}:` : ''}${first}${rest}${revision !== undefined ? `-${revision}` : ''}`),
  apk: fc
    .tuple(
      fc.array(digits, { minLength: 1, maxLength: 4 }),
      fc.option(pick('a', 'b', 'z'), { nil: undefined }),
      fc.array(fc.tuple(pick('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'), fc.option(digits, { nil: undefined })), { maxLength: 2 }),
      fc.option(pick('abc', 'abd', '0f'), { nil: undefined }),
      fc.option(digits, { nil: undefined }),
    )
    .map(([numbers, letter, suffixes, hash, revision]) =>
      [
        numbers.join('.'),
        letter ?? '',
        suffixes.map(([s, n]) => `_${s}${n ?? ''}`).join(''),
        hash ? `~${hash}` : '',
        revision !== undefined ? `-r${revision}` : '',
      ].join(''),
    ),
  rpm: fc
    .tuple(
      fc.option(pick('0', '1', '3'), { nil: undefined }),
      digits,
      joined(fc.oneof(fc.tuple(pick('.', '_', '+'), digits).map(([s, d]) => s + d), pick('a', 'rc', 'beta', '~rc1', '^git1', '.a')), 0, 4),
      fc.option(joined(fc.oneof(digits, pick('.', '.el', 'el9', '_')), 1, 4), { nil: undefined }),
    )
    .map(([epoch, first, rest, release]) => `${epoch ? `${epoch}:` : ''}${first}${rest}${release && /^[0-9a-z]/.test(release) ? `-${release}` : ''}`),
  semver: fc
    .tuple(
      pick('', 'v'),
      fc.tuple(digits, digits, digits),
      fc.array(fc.oneof(digits, pick('alpha', 'beta', 'rc', 'x-y', '0a')), { maxLength: 3 }),
      fc.option(pick('build.1', 'incompatible', 'sha.5114f85'), { nil: undefined }),
    )
    .map(([prefix, core, pre, build]) => `${prefix}${core.join('.')}${pre.length ? `-${pre.join('.')}` : ''}${build ? `+${build}` : ''}`),
  pypi: fc
    .tuple(
      fc.option(pick('1', '2'), { nil: undefined }),
      fc.array(digits, { minLength: 1, maxLength: 4 }),
      fc.option(fc.tuple(pick('a', 'b', 'rc', 'alpha', 'c', 'pre'), fc.option(digits, { nil: undefined })), { nil: undefined }),
      fc.option(fc.tuple(pick('.post', '-', '.rev', 'r'), digits), { nil: undefined }),
      fc.option(fc.option(digits, { nil: undefined }), { nil: null }),
      fc.option(joined(fc.oneof(pick('ubuntu', 'abc', '.', '-'), digits).map(String), 1, 3).filter((l) => /^[a-z0-9]+([-.][a-z0-9]+)*$/.test(l)), { nil: undefined }),
    )
    .map(([epoch, release, pre, post, dev, local]) =>
      [
        epoch ? `${epoch}!` : '',
        release.join('.'),
        pre ? `${pre[0]}${pre[1] ?? ''}` : '',
        post ? `${post[0]}${post[1]}` : '',
        dev === null ? '' : `.dev${dev ?? ''}`,
        local ? `+${local}` : '',
      ].join(''),
    ),
  maven: fc
    .tuple(
      digits,
      fc.array(
        fc.tuple(pick('.', '-'), fc.oneof(digits, pick('alpha', 'beta', 'rc', 'cr', 'm1', 'a1', 'snapshot', 'ga', 'final', 'sp', 'foo', 'release', 'b2'))),
        { maxLength: 4 },
      ),
    )
    .map(([first, rest]) => first + rest.map(([s, t]) => s + t).join('')),
};

describe.each(VERSION_SCHEMES)('%s properties', (scheme) => {
  const compare = (a: string, b: string) => Math.sign(compareVersions(scheme, a, b));
  const valid = VALID[scheme];

  it('generates only versions the scheme accepts', () => {
    fc.assert(fc.property(valid, (v) => isValidVersion(scheme, v)));
  });

  it('is reflexive', () => {
    fc.assert(fc.property(valid, (v) => compare(v, v) === 0));
  });

  it('is antisymmetric: compare(a, b) = -compare(b, a)', () => {
    fc.assert(fc.property(valid, valid, (a, b) => compare(a, b) === -compare(b, a)), { numRuns: 500 });
  });

  it('is transitive on random triples', () => {
    fc.assert(
      fc.property(valid, valid, valid, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(compare);
        // Sorted by the comparator, the ends must agree with the middle.
        if (compare(x, y) > 0 || compare(y, z) > 0) return false;
        if (compare(x, z) > 0) return false;
        if (compare(x, y) === 0 && compare(y, z) === 0) return compare(x, z) === 0;
        return compare(x, z) < 0 || (compare(x, y) === 0 && compare(y, z) === 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary strings, and stays antisymmetric', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), valid), (a, b) => {
        const r = compare(a, b);
        return [-1, 0, 1].includes(r) && compare(b, a) === -r;
      }),
      { numRuns: 300 },
    );
  });
});

describe('invalid versions', () => {
  it('fall back to plain string order and are reported as invalid', () => {
    expect(isValidVersion('deb', '')).toBe(false);
    expect(isValidVersion('deb', 'a:1.0')).toBe(false);
    expect(isValidVersion('apk', '1.0-x')).toBe(false);
    expect(isValidVersion('apk', '1.0_bogus')).toBe(false);
    expect(isValidVersion('semver', 'not.a.version')).toBe(false);
    expect(isValidVersion('pypi', '1.0-foo')).toBe(false);
    expect(isValidVersion('rpm', '')).toBe(false);
    expect(isValidVersion('maven', '')).toBe(false);
    expect(compareVersions('semver', 'not.a.version', 'zzz')).toBe(-1);
    expect(compareVersions('apk', '1.0_bogus', '1.0_bogus')).toBe(0);
  });
});
