import { describe, expect, it } from 'vitest';
import { ALNUM, HEX, URL_SAFE, expectNoRawSecret, fake, hitsOf } from './fixtures.ts';

const DIGITS = '0123456789';

describe('SECRET-03 GitHub classic and app tokens', () => {
  it('reports every classic token type as critical', () => {
    for (const type of 'pousr') {
      const token = `gh${type}_${fake(ALNUM, 36, type.charCodeAt(0))}`;
      const [f, ...rest] = hitsOf('SECRET-03', `machine github.com\n  password ${token}\n`, 'home/ci/.netrc');
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expect(f.line).toBe(2);
      expect(f.message).toContain(`gh${type}_`);
      expectNoRawSecret([f], token);
    }
  });

  it('reports stateless app installation tokens (ghs_<id>_<JWT>)', () => {
    const token = `ghs_48213977_${fake(URL_SAFE, 36, 31)}.${fake(URL_SAFE, 80, 32)}.${fake(URL_SAFE, 43, 33)}`;
    const [f, ...rest] = hitsOf('SECRET-03', `GITHUB_TOKEN=${token}`);
    expect(rest).toEqual([]);
    expect(f.message).toMatch(/installation/);
    expectNoRawSecret([f], token);
  });

  it('requires a left boundary', () => {
    const tail = fake(ALNUM, 36, 34);
    expect(hitsOf('SECRET-03', `Sogho_${tail}`)).toEqual([]);
    expect(hitsOf('SECRET-03', `my_ghp_${tail}`)).toEqual([]);
    expect(hitsOf('SECRET-03', `9ghp_${tail}`)).toEqual([]);
    expect(hitsOf('SECRET-03', `"ghp_${tail}"`)).toHaveLength(1);
  });

  it('ignores unknown type letters and short tokens', () => {
    expect(hitsOf('SECRET-03', `ghx_${fake(ALNUM, 36, 35)}`)).toEqual([]);
    expect(hitsOf('SECRET-03', `ghp_${fake(ALNUM, 35, 35)}`)).toEqual([]);
  });

  it('skips the entropy floor for checksummed classic tokens, but not the placeholder allowlist', () => {
    expect(hitsOf('SECRET-03', `token: ghp_${'a'.repeat(30)}Zb4Q2c`)).toHaveLength(1);
    expect(hitsOf('SECRET-03', `token: ghp_${'X'.repeat(36)}`)).toEqual([]);
    expect(hitsOf('SECRET-03', `token: ghp_your_token_here_${fake(ALNUM, 20, 1)}`)).toEqual([]);
  });
});

describe('SECRET-04 GitHub fine-grained PAT', () => {
  const token = `github_pat_${fake(ALNUM, 22, 41)}_${fake(ALNUM, 59, 42)}`;

  it('reports a token, even glued to a preceding word', () => {
    for (const text of [`GH_TOKEN=${token}`, `mytoken${token}`]) {
      const [f, ...rest] = hitsOf('SECRET-04', text);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expectNoRawSecret([f], token);
    }
  });

  it('requires 22 + 59 characters', () => {
    expect(hitsOf('SECRET-04', `github_pat_${fake(ALNUM, 21, 43)}_${fake(ALNUM, 59, 42)}`)).toEqual([]);
    expect(hitsOf('SECRET-04', `github_pat_${fake(ALNUM, 22, 43)}_${fake(ALNUM, 58, 42)}`)).toEqual([]);
  });

  it('ignores placeholders', () => {
    expect(hitsOf('SECRET-04', `github_pat_${'X'.repeat(22)}_${'X'.repeat(59)}`)).toEqual([]);
  });
});

describe('SECRET-05 GitLab PAT', () => {
  it('reports glpat- with 20 or more url-safe characters', () => {
    for (const token of [`glpat-${fake(URL_SAFE, 20, 51)}`, `glpat-${fake(URL_SAFE, 45, 52)}`]) {
      const [f, ...rest] = hitsOf('SECRET-05', `GITLAB_TOKEN: ${token}\n`, '.gitlab-ci.yml');
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expectNoRawSecret([f], token);
    }
  });

  it('ignores short tokens and placeholders', () => {
    expect(hitsOf('SECRET-05', `glpat-${fake(URL_SAFE, 19, 53)}`)).toEqual([]);
    expect(hitsOf('SECRET-05', 'glpat-xxxxxxxxxxxxxxxxxxxx')).toEqual([]);
    expect(hitsOf('SECRET-05', 'glpat-<your-access-token-here>')).toEqual([]);
  });
});

describe('SECRET-06 Slack tokens', () => {
  const tokens = {
    bot: `xoxb-${fake(DIGITS, 12, 61)}-${fake(DIGITS, 13, 62)}-${fake(ALNUM, 24, 63)}`,
    user: `xoxp-${fake(DIGITS, 12, 64)}-${fake(DIGITS, 12, 65)}-${fake(DIGITS, 13, 66)}-${fake(HEX, 32, 67)}`,
    legacy: `xoxa-2-${fake(DIGITS, 11, 68)}-${fake(ALNUM, 30, 69)}`,
    config: `xoxe.xoxp-1-${fake(ALNUM, 120, 70)}`,
    refresh: `xoxe-1-${fake(ALNUM, 140, 71)}`,
    app: `xapp-1-A${fake('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 10, 72)}-${fake(DIGITS, 13, 73)}-${fake(HEX, 64, 74)}`,
  };

  for (const [kind, token] of Object.entries(tokens)) {
    it(`reports a ${kind} token once, as high`, () => {
      const [f, ...rest] = hitsOf('SECRET-06', `SLACK_TOKEN=${token}\n`);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expectNoRawSecret([f], token);
    });
  }

  it('ignores tokens glued to a preceding word and placeholders', () => {
    expect(hitsOf('SECRET-06', `axoxb-${fake(DIGITS, 12, 61)}-${fake(DIGITS, 13, 62)}-${fake(ALNUM, 24, 63)}`)).toEqual([]);
    expect(hitsOf('SECRET-06', 'xoxb-000000000000-0000000000000-XXXXXXXXXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(hitsOf('SECRET-06', `xoxb-${fake(DIGITS, 12, 61)}-${fake(DIGITS, 13, 62)}-your_bot_token_here`)).toEqual([]);
  });
});

describe('SECRET-07 Slack webhook URL', () => {
  const path = `T${fake('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 8, 75)}/B${fake('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 10, 76)}/${fake(ALNUM, 24, 77)}`;

  it('reports services, workflows and triggers URLs over http or https', () => {
    for (const url of [`https://hooks.slack.com/services/${path}`, `http://hooks.slack.com/workflows/${path}`, `https://hooks.slack.com/triggers/${path}`]) {
      const text = `notify:\n  slack: "${url}"\n`;
      const [f, ...rest] = hitsOf('SECRET-07', text, 'ops/alerts.yaml');
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expect(f.line).toBe(2);
      expectNoRawSecret([f], path);
    }
  });

  it('ignores the documentation placeholder and other hosts', () => {
    expect(hitsOf('SECRET-07', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(hitsOf('SECRET-07', `https://hooks.example.org/services/${path}`)).toEqual([]);
    expect(hitsOf('SECRET-07', `https://hooks.slack.com/services/${path.split('/').slice(0, 2).join('/')}/short`)).toEqual([]);
  });
});

describe('SECRET-11 npm token', () => {
  const token = `npm_${fake(ALNUM, 36, 111)}`;

  it('reports npm_ tokens', () => {
    const [f, ...rest] = hitsOf('SECRET-11', `NPM_TOKEN=${token}`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('critical');
    expectNoRawSecret([f], token);
  });

  it('reports literal .npmrc _authToken and _auth values, once per line', () => {
    const legacy = fake(ALNUM, 32, 112);
    const auth = Buffer.from(`ci-bot:${fake(ALNUM, 20, 113)}`).toString('base64');
    const text = `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${token}\n//npm.corp.internal/repo/:_authToken = ${legacy}\n//npm.corp.internal/:_auth=${auth}\n`;
    const found = hitsOf('SECRET-11', text, '.npmrc');
    expect(found.map((f) => f.line)).toEqual([2, 3, 4]);
    expectNoRawSecret(found, token);
    expectNoRawSecret(found, legacy);
    expectNoRawSecret(found, auth);
  });

  it('ignores ${...} references, glued and over-long tokens', () => {
    expect(hitsOf('SECRET-11', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n', '.npmrc')).toEqual([]);
    expect(hitsOf('SECRET-11', `x${token}`)).toEqual([]);
    expect(hitsOf('SECRET-11', `${token}a`)).toEqual([]);
  });
});

describe('SECRET-12 PyPI upload token', () => {
  const token = `pypi-AgEIcHlwaS5vcmc${fake(URL_SAFE, 120, 121)}`;

  it('reports a pypi.org macaroon', () => {
    const text = `[pypi]\n  username = __token__\n  password = ${token}\n`;
    const [f, ...rest] = hitsOf('SECRET-12', text, 'home/dev/.pypirc');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('critical');
    expect(f.line).toBe(3);
    expectNoRawSecret([f], token);
  });

  it('ignores short macaroons and other token prefixes', () => {
    expect(hitsOf('SECRET-12', `pypi-AgEIcHlwaS5vcmc${fake(URL_SAFE, 49, 122)}`)).toEqual([]);
    expect(hitsOf('SECRET-12', `pypi-AgENdGVzdC5weXBp${fake(URL_SAFE, 80, 123)}`)).toEqual([]);
  });
});

describe('SECRET-16 Stripe secret / restricted key', () => {
  it('reports live and prod keys as critical, test keys as low', () => {
    for (const [key, severity] of [
      [`sk_live_${fake(ALNUM, 24, 161)}`, 'critical'],
      [`rk_live_${fake(ALNUM, 99, 162)}`, 'critical'],
      [`sk_prod_${fake(ALNUM, 32, 163)}`, 'critical'],
      [`sk_test_${fake(ALNUM, 24, 164)}`, 'low'],
    ] as const) {
      const [f, ...rest] = hitsOf('SECRET-16', `STRIPE_KEY="${key}"`);
      expect(rest).toEqual([]);
      expect(f.severity).toBe(severity);
      expectNoRawSecret([f], key);
    }
  });

  it('ignores publishable keys, glued and short keys', () => {
    expect(hitsOf('SECRET-16', `pk_live_${fake(ALNUM, 24, 165)}`)).toEqual([]);
    expect(hitsOf('SECRET-16', `ask_live_${fake(ALNUM, 24, 165)}`)).toEqual([]);
    expect(hitsOf('SECRET-16', `sk_live_${fake(ALNUM, 23, 165)}`)).toEqual([]);
  });

  it('judges placeholders on the random part, not the mode', () => {
    expect(hitsOf('SECRET-16', `sk_live_${'x'.repeat(24)}`)).toEqual([]);
    expect(hitsOf('SECRET-16', `sk_test_SAMPLE${fake(ALNUM, 20, 166)}`)).toEqual([]);
    expect(hitsOf('SECRET-16', `sk_test_${fake(ALNUM, 24, 166)}`)).toHaveLength(1);
  });
});
