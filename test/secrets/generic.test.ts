import { describe, expect, it } from 'vitest';
import { scanSecrets } from '../../shared/secrets/scan.ts';
import { ALNUM, URL_SAFE, expectNoRawSecret, fake, hitsOf } from './fixtures.ts';

describe('SECRET-18 generic credential assignment', () => {
  const value = fake(ALNUM, 20, 181);

  it('reports a quoted value of 12+ characters assigned to a secret-sounding name, as medium', () => {
    for (const line of [
      `password = "${value}"`,
      `"passwd": "${value}"`,
      `pwd: '${value}'`,
      `SECRET="${value}"`,
      `api_key: "${value}"`,
      `API-KEY = '${value}'`,
      `apikey="${value}"`,
      `access_token: "${value}"`,
      `authToken = "${value}"`,
      `client-secret: "${value}"`,
    ]) {
      const text = `# settings\n${line}\n`;
      const [f, ...rest] = hitsOf('SECRET-18', text, 'src/settings.py');
      expect(rest, line).toEqual([]);
      expect(f.severity).toBe('medium');
      expect(f.line).toBe(2);
      expectNoRawSecret([f], value);
    }
  });

  it('needs a quoted value without blanks of at least 12 characters', () => {
    expect(hitsOf('SECRET-18', `password = ${value}`)).toEqual([]);
    expect(hitsOf('SECRET-18', `password = "${value.slice(0, 11)}"`)).toEqual([]);
    expect(hitsOf('SECRET-18', `password = "${value.slice(0, 10)} ${value.slice(10)}"`)).toEqual([]);
    expect(hitsOf('SECRET-18', `passwords_reset_url = "${value}"`)).toEqual([]);
  });

  it('ignores placeholders and low-entropy values', () => {
    for (const placeholder of ['your_password_here', '${DB_PASSWORD_VALUE}', '<db-password-here>', 'dummy-pass-1234', 'Test1234Pass!', 'sample-secret-99', '************', 'EXAMPLE-KEY-8f3a', 'xxxx-xxxx-xxxx']) {
      expect(hitsOf('SECRET-18', `password = "${placeholder}"`), placeholder).toEqual([]);
    }
    expect(hitsOf('SECRET-18', 'password = "aaaaaaaabbbbbbbb"')).toEqual([]);
    expect(hitsOf('SECRET-18', 'password = "1212121212121212"')).toEqual([]);
  });

  it('stays silent on a line where a specific pattern already reported', () => {
    const googleKey = `AIza${fake(URL_SAFE, 35, 182)}`;
    const stripeKey = `sk_live_${fake(ALNUM, 30, 183)}`;
    const text = `api_key = "${googleKey}"\nclient_secret = "${stripeKey}"\npassword = "${value}"\n`;
    const found = scanSecrets('src/settings.py', text);
    expect(found.map((f) => [f.rule.id, f.line])).toEqual([['SECRET-10', 1], ['SECRET-16', 2], ['SECRET-18', 3]]);
  });

  it('still reports when the specific pattern dropped nothing on its line but hit another line', () => {
    const token = `ghp_${fake(ALNUM, 36, 184)}`;
    const text = `token: ${token}\nsecret: "${value}"\n`;
    expect(scanSecrets('ci/vars.yaml', text).map((f) => f.rule.id)).toEqual(['SECRET-03', 'SECRET-18']);
  });

  it('is off in files under the path allow-rules', () => {
    expect(hitsOf('SECRET-18', `password = "${value}"`, 'docs/CONFIGURATION.md')).toEqual([]);
    expect(hitsOf('SECRET-18', `password = "${value}"`, 'usr/lib/python3/site-packages/requests/tests/test_auth.py')).toEqual([]);
  });
});
