import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-006', text, { path: 'Dockerfile' });

describe('DOCKER-006 secret in ARG or ENV', () => {
  it.each([
    'ENV DB_PASSWORD=supersecret',
    'ENV DB_PASSWORD supersecret',
    'ENV A=1 dbPassword="hunter2 two"',
    'ARG NPM_TOKEN=abc123def',
    'ARG API_KEY=xyz',
    'ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'ENV SIGNING_KEY_DATA=xxxyyy',
  ])('fires for %s, on its line', (line) => {
    const [f, ...rest] = check(`FROM alpine:3.20\n${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(2);
    expect(f.message).not.toMatch(/supersecret|hunter2|abc123/);
  });

  it.each([
    'ENV GITHUB=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    'ENV AWS_ID=AKIAIOSFODNN7EXAMPLE',
    'ARG DATABASE_URL=postgres://app:s3cret@db:5432/app',
    'ENV CERT="-----BEGIN RSA PRIVATE KEY-----"',
  ])('fires for a credential-looking value whatever the name: %s', (line) => {
    expect(check(`FROM alpine:3.20\n${line}\n`)).toHaveLength(1);
  });

  it('fires for global ARGs before FROM', () => {
    expect(check('ARG REGISTRY_PASSWORD=letmein\nFROM alpine:3.20\n')[0].location?.line).toBe(1);
  });

  it.each([
    'ARG NPM_TOKEN',
    'ARG NPM_TOKEN=""',
    'ENV DB_PASSWORD=${DB_PASSWORD}',
    'ENV DB_PASSWORD=$DB_PASSWORD',
    'ENV DB_PASSWORD_FILE=/run/secrets/db',
    'ENV PASSWORD_LENGTH=12',
    'ENV TOKEN_URL=https://auth.example.com/token',
    'ENV REQUIRE_PASSWORD=true',
    'ENV KEY_PATH=/etc/key',
    'ENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app',
    'ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8',
  ])('passes for %s', (line) => {
    expect(check(`FROM alpine:3.20\n${line}\n`)).toEqual([]);
  });

  it('reports each declaration of one instruction with its own identity', () => {
    const fs = check('FROM alpine:3.20\nENV DB_PASSWORD=a1b2c3 API_TOKEN=zzz\n');
    expect(fs).toHaveLength(2);
    expect(new Set(fs.map((f) => f.fingerprint)).size).toBe(2);
  });
});
