import { describe, expect, it } from 'vitest';
import { allRules } from '../../shared/rules/registry.ts';
import { maskSecret, scanSecrets, shannonEntropy } from '../../shared/secrets/scan.ts';
import { scanText } from '../helpers/scan.ts';
import { ALNUM, BASE32, BASE64, expectNoRawSecret, fake } from './fixtures.ts';

const accessKeyId = `AKIA${fake(BASE32, 16, 7)}`;

describe('secret scanner', () => {
  it('registers SECRET-01 to SECRET-18 with metadata and compliance refs', () => {
    const patterns = allRules().filter((r) => r.engine === 'secret');
    expect(patterns.map((r) => r.id)).toEqual(Array.from({ length: 18 }, (_, i) => `SECRET-${String(i + 1).padStart(2, '0')}`));
    for (const p of patterns) {
      expect(p.title && p.description && p.remediation).toBeTruthy();
      expect(p.compliance).toEqual(expect.arrayContaining(['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001']));
    }
  });

  describe('maskSecret', () => {
    it('keeps the first 4 and last 2 characters', () => {
      expect(maskSecret('AKIAQ3ZV7TWN5HYXK2RB')).toBe('AKIA**************RB');
      expect(maskSecret('abcdefghijkl')).toBe('abcd******kl');
    });

    it('masks short secrets fully', () => {
      expect(maskSecret('abcdefghijk')).toBe('***********');
      expect(maskSecret('pw')).toBe('**');
      expect(maskSecret('')).toBe('');
    });
  });

  describe('shannonEntropy', () => {
    it('measures bits per character', () => {
      expect(shannonEntropy('')).toBe(0);
      expect(shannonEntropy('aaaaaaaa')).toBe(0);
      expect(shannonEntropy('abababab')).toBe(1);
      expect(shannonEntropy('abcdefghijklmnop')).toBe(4);
      expect(shannonEntropy(fake(BASE64, 200, 3))).toBeGreaterThan(5);
    });
  });

  it('reports 1-based lines, also with CRLF line ends', () => {
    expect(scanSecrets('a.env', `KEY=${accessKeyId}`)[0].line).toBe(1);
    expect(scanSecrets('a.env', `\n\n\n\nKEY=${accessKeyId}\n`)[0].line).toBe(5);
    expect(scanSecrets('a.env', `A=1\r\nB=2\r\nKEY=${accessKeyId}\r\n`)[0].line).toBe(3);
  });

  it('sorts findings by line and never returns a raw secret', () => {
    const token = `ghp_${fake(ALNUM, 36, 8)}`;
    const found = scanSecrets('ci/env.sh', `export GH=${token}\nexport X=1\nexport AWS=${accessKeyId}\n`);
    expect(found.map((f) => [f.rule.id, f.line])).toEqual([['SECRET-03', 1], ['SECRET-01', 3]]);
    expectNoRawSecret(found, token);
    expectNoRawSecret(found, accessKeyId);
    expect(found[1].masked).toBe(maskSecret(accessKeyId));
  });

  describe('path allow-rules', () => {
    const text = `aws_access_key_id = ${accessKeyId}\npassword = "${fake(ALNUM, 20, 9)}"\n`;

    for (const path of [
      'usr/share/doc/awscli/examples.txt',
      '/usr/share/man/man1/aws.1',
      'usr/include/openssl/pem.h',
      'usr/lib/python3.11/test/test_ssl.py',
      'usr/lib/python3/test_support.py',
      'usr/local/lib/python3.12/site-packages/botocore/tests/unit/test_credentials.py',
      'app/node_modules/aws-sdk/test/credentials.js',
      'app/node_modules/@octokit/auth/test/index.js',
      'README.md',
      'docs/Setup.MD',
      'usr/share/locale/de/LC_MESSAGES/app.po',
      'web/src/locales/en.json',
      'examples/deploy.env',
      'charts/app/examples/values.env',
      './docs/examples/app.env',
      'C:\\repo\\examples\\app.env',
    ]) {
      it(`skips ${path}`, () => {
        expect(scanSecrets(path, text)).toEqual([]);
      });
    }

    for (const path of ['usr/share/app/config.env', 'app/node_modules/aws-sdk/lib/config.js', 'src/test/app.env', 'usr/lib/python3.11/ssl.py', 'docs/README.txt', 'example/app.env']) {
      it(`scans ${path}`, () => {
        expect(scanSecrets(path, text).map((f) => f.rule.id)).toEqual(['SECRET-01', 'SECRET-18']);
      });
    }
  });

  it('skips binary-looking text', () => {
    expect(scanSecrets('app.bin', `\u0000\u0001ELF${accessKeyId}`)).toEqual([]);
    expect(scanSecrets('app.bin', `${'\ufffd\u0003'.repeat(200)}${accessKeyId}`)).toEqual([]);
    expect(scanSecrets('app.log', `\u001b[31mkey=${accessKeyId}\u001b[0m`)).toHaveLength(1);
  });

  it('does not throw on empty or odd input', () => {
    expect(scanSecrets('x', '')).toEqual([]);
    expect(scanSecrets('x', null as unknown as string)).toEqual([]);
  });

  it('stays fast on large adversarial files', () => {
    const text = [
      'kind: Config\n//r/:_authToken=abc\n' + '\n'.repeat(200_000) + ' '.repeat(200_000),
      'aws_secret_access_key' + ' '.repeat(100_000),
      'password = "'.repeat(20_000),
      `-----BEGIN PRIVATE KEY-----\n${fake(BASE64, 64, 10)}\n`.repeat(10_000),
      `${'{"auths": {'.repeat(5_000)}`,
      ('eyJ' + 'a'.repeat(20) + '.').repeat(30_000),
      `var a="${fake(BASE64, 1_000_000, 11)}";`,
    ].join('\n');
    const started = performance.now();
    scanSecrets('dist/app.min.js', text);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reaches the engine: `shipwatch scan` reports secrets of any text file with masked evidence', () => {
    const secret = `sk_live_${fake(ALNUM, 32, 12)}`;
    const result = scanText(`# payments\nSTRIPE_SECRET_KEY=${secret}\n`, { path: 'config/app.env' });
    const finding = result.findings.find((f) => f.ruleId === 'SECRET-16');
    expect(finding).toMatchObject({ severity: 'critical', location: { file: 'config/app.env', line: 2 }, evidence: maskSecret(secret) });
    expect(finding?.evidence).not.toBe(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
