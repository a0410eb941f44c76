import { describe, expect, it } from 'vitest';
import { isCredentialLiteral, isSensitiveName, matchesSensitiveValue, nameTokens } from '../../shared/iac/sensitive.ts';

describe('nameTokens', () => {
  it('splits at non-alphanumerics and camelCase boundaries, lower-cased', () => {
    expect(nameTokens('dbPassword_FILE')).toEqual(['db', 'password', 'file']);
    expect(nameTokens('APIKey')).toEqual(['api', 'key']);
    expect(nameTokens('myXMLToken')).toEqual(['my', 'xml', 'token']);
    expect(nameTokens('spring.datasource.password')).toEqual(['spring', 'datasource', 'password']);
    expect(nameTokens('--')).toEqual([]);
  });
});

describe('isSensitiveName', () => {
  it.each(['DB_PASSWORD', 'password', 'passwd', 'PASSPHRASE', 'MYSQL_PWD', 'smtp.pass', 'adminPword', 'pswrd', 'PASSWRD', 'clientSecret', 'SECRETS', 'SECRETKEY',
    'GITHUB_TOKEN', 'credential', 'aws_credentials', 'APIKEY', 'BEARER', 'PRIVATEKEY', 'CLIENTSECRET', 'APPSECRET', 'API_KEY', 'apiKey', 'privateKey', 'signing-key', 'KEY',
    'ssh_key_content', 'tlsKeyData', 'KEY_MATERIAL', 'OAuth2Token'])('%s is sensitive', (name) => {
    expect(isSensitiveName(name)).toBe(true);
  });

  it.each(['DB_PASSWORD_FILE', 'secretName', 'tokenUrl', 'TOKEN_TTL', 'API_KEY_PATH', 'PRIVATE_KEY_ID', 'SECRET_DIR', 'password-endpoint', 'AUTH_HEADER', 'TOKEN_URI',
    'PASSWORD_LENGTH', 'SECRET_SIZE', 'TOKEN_ENABLED', 'KEY_TYPE', 'TOKEN_COUNT', 'TOKEN_TIMEOUT', 'TOKEN_EXPIRY', 'TOKEN_EXPIRATION',
    'USERNAME', 'monkey', 'KEYBOARD', 'bypass', 'KEY_ALIAS', 'HOST', ''])('%s is not sensitive', (name) => {
    expect(isSensitiveName(name)).toBe(false);
  });
});

describe('matchesSensitiveValue', () => {
  it.each([
    ['PEM header', '-----BEGIN PRIVATE KEY-----\nMIIEv...'],
    ['RSA PEM header, short dashes', '--BEGIN RSA PRIVATE KEY--'],
    ['OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['encrypted PEM', '-----BEGIN ENCRYPTED PRIVATE KEY-----'],
    ['PGP private key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS temporary key id', 'key=ASIAIOSFODNN7EXAMPLE;'],
    ['GitHub PAT (classic)', `ghp_${'a1B2'.repeat(9)}`],
    ['GitHub OAuth token', `gho_${'x'.repeat(36)}`],
    ['GitHub user-to-server token', `ghu_${'x'.repeat(36)}`],
    ['GitHub server token', `ghs_${'x'.repeat(36)}`],
    ['GitHub refresh token', `ghr_${'x'.repeat(36)}`],
    ['GitHub fine-grained PAT', `github_pat_${'A1_'.repeat(10)}`],
    ['Slack bot token', 'xoxb-1234567890-abcdefghij'],
    ['Slack user token', 'xoxp-1234567890-abcdefghij'],
    ['Google API key', `AIza${'B'.repeat(35)}`],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl'],
    ['URL with a password', 'postgres://app:s3cr3t@db:5432/app'],
    ['URL with an empty user and a password', 'redis://:s3cr3t@redis:6379/0'],
  ])('%s', (_what, value) => {
    expect(matchesSensitiveValue(value)).toBe(true);
  });

  it.each([
    ['public key', '-----BEGIN PUBLIC KEY-----'],
    ['certificate', '-----BEGIN CERTIFICATE-----'],
    ['AWS-like id inside a longer word', 'XAKIAIOSFODNN7EXAMPLE1'],
    ['short GitHub prefix', 'ghp_short'],
    ['Slack prefix without body', 'xoxb-123'],
    ['two-segment eyJ string', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ'],
    ['URL with a user only', 'https://user@example.com/x'],
    ['URL with a referenced password', 'postgres://app:${DB_PASSWORD}@db/app'],
    ['URL with a Kubernetes variable password', 'postgres://app:$(DB_PASSWORD)@db/app'],
    ['URL with a templated password', 'postgres://app:{{ .Values.pw }}@db/app'],
    ['URL with a port and no credentials', 'https://example.com:8443/path'],
    ['plain text', 'hello world'],
    ['not a string', 42],
    ['null', null],
  ])('%s does not match', (_what, value) => {
    expect(matchesSensitiveValue(value)).toBe(false);
  });
});

describe('isCredentialLiteral', () => {
  it.each(['supersecret', 'hunter2', "'s3cr3t'", '"p@ss"', '1.5', 'secret-${SUFFIX}', 'relative/path'])('%s is a credential literal', (value) => {
    expect(isCredentialLiteral(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['empty quotes', '""'],
    ['boolean', 'true'],
    ['boolean (yes)', 'Yes'],
    ['boolean (off)', 'off'],
    ['integer', '8080'],
    ['negative integer', '-1'],
    ['Kubernetes reference', '$(DB_PASSWORD)'],
    ['shell reference', '${DB_PASSWORD}'],
    ['shell reference with default', '${DB_PASSWORD:-}'],
    ['bare shell variable', '$DB_PASSWORD'],
    ['file read', '$(< /run/secrets/db)'],
    ['quoted reference', '"${DB_PASSWORD}"'],
    ['template', '{{ .Values.password }}'],
    ['multi-line template', '{{\n .Values.password\n}}'],
    ['absolute path', '/run/secrets/db-password'],
    ['number', 12345],
    ['boolean value', true],
    ['null', null],
    ['object', { a: 1 }],
  ])('%s is not a credential literal', (_what, value) => {
    expect(isCredentialLiteral(value)).toBe(false);
  });
});
