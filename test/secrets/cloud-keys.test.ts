import { describe, expect, it } from 'vitest';
import { ALNUM, BASE32, BASE64, URL_SAFE, expectNoRawSecret, fake, hitsOf, lineOf } from './fixtures.ts';

describe('SECRET-01 AWS access key id', () => {
  const body = 'Q3ZV7TWN5HYXK2RB';

  it('reports long-lived (AKIA) and service/context (ABIA, ACCA) ids as critical, STS (ASIA) as high', () => {
    for (const [prefix, severity] of [['AKIA', 'critical'], ['ABIA', 'critical'], ['ACCA', 'critical'], ['ASIA', 'high']] as const) {
      const id = prefix + body;
      const text = `# deploy user\nAWS_ACCESS_KEY_ID=${id}\n`;
      const [f, ...rest] = hitsOf('SECRET-01', text);
      expect(rest).toEqual([]);
      expect(f.severity).toBe(severity);
      expect(f.line).toBe(2);
      expect(f.masked).toBe(`${prefix}**************RB`);
      expect(f.message).toContain(prefix);
      expectNoRawSecret([f], id);
    }
  });

  it('reports ids inside quotes, JSON and YAML', () => {
    const id = `AKIA${fake(BASE32, 16, 1)}`;
    expect(hitsOf('SECRET-01', `{"accessKeyId":"${id}"}`)).toHaveLength(1);
    expect(hitsOf('SECRET-01', `access_key: '${id}'`)).toHaveLength(1);
  });

  it('still reports ids with 0, 1, 8 or 9 (not base32) but says they may be fixtures', () => {
    const [f] = hitsOf('SECRET-01', 'key=AKIA0Z1Y8X9WQ3ZV7TWN');
    expect(f.severity).toBe('critical');
    expect(f.message).toMatch(/fixture/);
    expect(hitsOf('SECRET-01', `key=AKIA${body}`)[0].message).not.toMatch(/fixture/);
  });

  it('ignores ids glued to other capitals or digits', () => {
    expect(hitsOf('SECRET-01', `XAKIA${body}`)).toEqual([]);
    expect(hitsOf('SECRET-01', `7AKIA${body}`)).toEqual([]);
    expect(hitsOf('SECRET-01', `AKIA${body}Z`)).toEqual([]);
    expect(hitsOf('SECRET-01', `AKIA${body}4`)).toEqual([]);
    expect(hitsOf('SECRET-01', `AKIA${body.slice(1)}`)).toEqual([]);
  });

  it("ignores AWS's documented example key, placeholders and low-entropy ids", () => {
    expect(hitsOf('SECRET-01', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(hitsOf('SECRET-01', 'aws_access_key_id = AKIAXXXXXXXXXXXXXXXX')).toEqual([]);
    expect(hitsOf('SECRET-01', 'aws_access_key_id = AKIAAAAAAAAAAAAAAAAA')).toEqual([]);
    expect(hitsOf('SECRET-01', 'aws_access_key_id = AKIABABABABABABABABA')).toEqual([]);
  });
});

describe('SECRET-02 AWS secret access key', () => {
  const secret = fake(BASE64, 40, 2);

  it('reports a secret key after an AWS secret-key name, on the value line', () => {
    const text = `[default]\naws_access_key_id = AKIA${fake(BASE32, 16, 3)}\naws_secret_access_key = ${secret}\n`;
    const [f, ...rest] = hitsOf('SECRET-02', text);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('critical');
    expect(f.line).toBe(3);
    expect(f.masked).toBe(`${secret.slice(0, 4)}${'*'.repeat(34)}${secret.slice(-2)}`);
    expectNoRawSecret([f], secret);
  });

  it('accepts glued prefixes, any case, quotes and the separators =, : and whitespace', () => {
    for (const line of [
      `MyAWS_secret_KEY: "${secret}"`,
      `AWS_SECRET_ACCESS_KEY=${secret}`,
      `"aws_secret_access_key": "${secret}"`,
      `awsSecretAccessKey = '${secret}'`,
      `aws_sec_key   ${secret}`,
      `export AWSSECRETKEY=${secret}`,
    ]) {
      expect(hitsOf('SECRET-02', line), line).toHaveLength(1);
    }
  });

  it('ignores 40 base64 characters without the keyword, and longer runs', () => {
    expect(hitsOf('SECRET-02', `checksum = ${secret}`)).toEqual([]);
    expect(hitsOf('SECRET-02', `aws_secret_access_key = ${secret}Q`)).toEqual([]);
    expect(hitsOf('SECRET-02', `aws_secret_access_key = ${secret.slice(1)}`)).toEqual([]);
  });

  it("ignores AWS's documented example secret and placeholders", () => {
    expect(hitsOf('SECRET-02', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual([]);
    expect(hitsOf('SECRET-02', `aws_secret_access_key = ${'x'.repeat(40)}`)).toEqual([]);
    expect(hitsOf('SECRET-02', `aws_secret_access_key = dummy${secret.slice(5)}`)).toEqual([]);
  });
});

describe('SECRET-09 GCP service-account key', () => {
  const body = Array.from({ length: 6 }, (_, i) => fake(BASE64, 64, 90 + i)).join('\\n');
  const privateKey = `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n`;
  const keyFile = (fields: Record<string, string>) =>
    `{\n${Object.entries(fields).map(([k, v]) => `  "${k}": "${v}"`).join(',\n')}\n}\n`;
  const complete = {
    type: 'service_account',
    project_id: 'payments-prod',
    private_key_id: fake('0123456789abcdef', 40, 9),
    private_key: privateKey,
    client_email: 'deployer@payments-prod.iam.gserviceaccount.com',
    client_id: '104729384756102938475',
  };

  it('reports a key file holding all three keys, on the private_key line', () => {
    const text = keyFile(complete);
    const [f, ...rest] = hitsOf('SECRET-09', text, 'secrets/gcp.json');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('critical');
    expect(f.line).toBe(lineOf(text, '"private_key"'));
    expect(f.message).toContain('deployer@payments-prod.iam.gserviceaccount.com');
    expectNoRawSecret([f], body.replace(/\\n/g, ''));
  });

  it('does not depend on key order', () => {
    const { client_email, type, ...rest } = complete;
    expect(hitsOf('SECRET-09', keyFile({ client_email, ...rest, type }), 'sa.json')).toHaveLength(1);
  });

  it('requires all three keys', () => {
    expect(hitsOf('SECRET-09', keyFile({ ...complete, type: 'authorized_user' }))).toEqual([]);
    expect(hitsOf('SECRET-09', keyFile({ ...complete, client_email: 'deployer@example.com' }))).toEqual([]);
    const { private_key: _, ...withoutKey } = complete;
    expect(hitsOf('SECRET-09', keyFile(withoutKey))).toEqual([]);
    expect(hitsOf('SECRET-09', keyFile({ ...complete, private_key: 'redacted' }))).toEqual([]);
  });
});

describe('SECRET-10 Google API key', () => {
  const key = `AIza${fake(URL_SAFE, 35, 10)}`;

  it('reports a key as medium (often intentionally public)', () => {
    const [f, ...rest] = hitsOf('SECRET-10', `const firebase = { apiKey: "${key}" };`, 'web/src/firebase.js');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.line).toBe(1);
    expectNoRawSecret([f], key);
  });

  it('ignores wrong lengths and glued keys', () => {
    expect(hitsOf('SECRET-10', `k=${key.slice(0, -1)}`)).toEqual([]);
    expect(hitsOf('SECRET-10', `k=${key}Z`)).toEqual([]);
    expect(hitsOf('SECRET-10', `k=${key}-`)).toEqual([]);
    expect(hitsOf('SECRET-10', `k=x${key}`)).toEqual([]);
  });

  it('ignores placeholders', () => {
    expect(hitsOf('SECRET-10', `k=AIzaSyYOUR_${fake(URL_SAFE, 28, 12)}`)).toEqual([]);
    expect(hitsOf('SECRET-10', `k=AIza${fake(URL_SAFE, 24, 11)}_dummy_key_`)).toEqual([]);
  });
});

describe('SECRET-17 Azure storage account key', () => {
  const key = `${fake(BASE64, 86, 17)}==`;

  it('reports the account key of a connection string', () => {
    const text = `STORAGE=DefaultEndpointsProtocol=https;AccountName=invoices;AccountKey=${key};EndpointSuffix=core.windows.net\n`;
    const [f, ...rest] = hitsOf('SECRET-17', text);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('critical');
    expect(f.masked.startsWith(key.slice(0, 4))).toBe(true);
    expectNoRawSecret([f], key);
  });

  it('requires 86 base64 characters and ==', () => {
    expect(hitsOf('SECRET-17', `AccountKey=${key.slice(1)}`)).toEqual([]);
    expect(hitsOf('SECRET-17', `AccountKey=${key.slice(0, 86)}`)).toEqual([]);
    expect(hitsOf('SECRET-17', `AccountKey=${fake(ALNUM, 80, 1)}`)).toEqual([]);
  });

  it('ignores placeholder keys', () => {
    expect(hitsOf('SECRET-17', `AccountKey=${'A'.repeat(86)}==`)).toEqual([]);
    expect(hitsOf('SECRET-17', `AccountKey=EXAMPLE${fake(BASE64, 79, 2)}==`)).toEqual([]);
  });
});
