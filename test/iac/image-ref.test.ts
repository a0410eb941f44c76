import { describe, expect, it } from 'vitest';
import { isValidDigest, matchesAllowlist, parseImageRef, resolvedName } from '../../shared/iac/image-ref.ts';

const SHA256 = 'a'.repeat(64);

describe('parseImageRef', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: null, digest: null }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27', digest: null }],
    ['bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7', digest: null }],
    ['docker.io/nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: null }],
    ['index.docker.io/library/nginx', { registry: 'docker.io', repository: 'library/nginx', tag: null, digest: null }],
    ['ghcr.io/org/team/app:v2', { registry: 'ghcr.io', repository: 'org/team/app', tag: 'v2', digest: null }],
    ['host:5000/app', { registry: 'host:5000', repository: 'app', tag: null, digest: null }],
    ['host:5000/app:1.0', { registry: 'host:5000', repository: 'app', tag: '1.0', digest: null }],
    ['localhost/app:dev', { registry: 'localhost', repository: 'app', tag: 'dev', digest: null }],
    ['Registry.Example.com/app', { registry: 'registry.example.com', repository: 'app', tag: null, digest: null }],
    [`nginx@sha256:${SHA256}`, { registry: 'docker.io', repository: 'library/nginx', tag: null, digest: `sha256:${SHA256}` }],
    [`nginx:latest@sha256:${SHA256}`, { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: `sha256:${SHA256}` }],
    [`host:5000/app@sha256:${SHA256}`, { registry: 'host:5000', repository: 'app', tag: null, digest: `sha256:${SHA256}` }],
    ['nginx:', { registry: 'docker.io', repository: 'library/nginx', tag: null, digest: null }],
    ['  nginx:1.27  ', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27', digest: null }],
  ])('%s', (ref, expected) => {
    expect(parseImageRef(ref)).toMatchObject(expected);
  });

  it('marks a digest valid only when it follows the grammar', () => {
    expect(parseImageRef(`nginx@sha256:${SHA256}`).digestValid).toBe(true);
    expect(parseImageRef('nginx@sha256:abc').digestValid).toBe(false);
    expect(parseImageRef('nginx@').digest).toBe('');
    expect(parseImageRef('nginx@').digestValid).toBe(false);
    expect(parseImageRef('nginx:1.27').digestValid).toBe(false);
  });
});

describe('isValidDigest', () => {
  it.each([
    [`sha256:${SHA256}`, true],
    [`sha256:${'A'.repeat(64)}`, false], // upper-case hex
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'a'.repeat(65)}`, false],
    [`sha256:${'g'.repeat(64)}`, false],
    [`sha512:${'0'.repeat(128)}`, true],
    [`sha512:${'0'.repeat(64)}`, false],
    [`blake3:${'f'.repeat(64)}`, true],
    [`blake3:${'f'.repeat(128)}`, false],
    ['multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8', true],
    ['sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564', true],
    ['Sha256:abc', false],
    ['sha256', false],
    [':abc', false],
    ['sha-:abc', false],
    ['alg:has space', false],
  ])('%s → %s', (digest, valid) => {
    expect(isValidDigest(digest)).toBe(valid);
  });
});

describe('matchesAllowlist', () => {
  const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/';

  it('matches a registry host on a "/" boundary only', () => {
    expect(matchesAllowlist(`${ecr}team/app:1.0`, [ecr])).toBe(true);
    expect(matchesAllowlist('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/team/app:1.0', [ecr])).toBe(false);
    expect(matchesAllowlist('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/team/app', ['123456789012.dkr.ecr.eu-west-1.amazonaws.com'])).toBe(false);
  });

  it('matches repository prefixes on a "/" boundary', () => {
    expect(matchesAllowlist('ghcr.io/acme/app:1', ['ghcr.io/acme/'])).toBe(true);
    expect(matchesAllowlist('ghcr.io/acme/app:1', ['ghcr.io/acme'])).toBe(true);
    expect(matchesAllowlist('ghcr.io/acme-evil/app:1', ['ghcr.io/acme'])).toBe(false);
    expect(matchesAllowlist('ghcr.io/acme/app:1', ['ghcr.io/acme/app'])).toBe(true);
    expect(matchesAllowlist('ghcr.io/acme/application:1', ['ghcr.io/acme/app'])).toBe(false);
  });

  it('resolves images without a host to docker.io (docker.io/library/ for single names)', () => {
    expect(resolvedName('nginx:1.27')).toBe('docker.io/library/nginx');
    expect(matchesAllowlist('nginx:1.27', ['docker.io/library/'])).toBe(true);
    expect(matchesAllowlist('nginx:1.27', ['docker.io'])).toBe(true);
    expect(matchesAllowlist('bitnami/redis:7', ['docker.io/library/'])).toBe(false);
    expect(matchesAllowlist('bitnami/redis:7', ['docker.io/bitnami/'])).toBe(true);
    expect(matchesAllowlist('bitnami/redis:7', ['bitnami/'])).toBe(true);
    expect(matchesAllowlist('index.docker.io/library/nginx', ['docker.io/library'])).toBe(true);
  });

  it('keeps the port as part of the host and ignores tag and digest', () => {
    expect(matchesAllowlist('registry.local:5000/app:1', ['registry.local:5000'])).toBe(true);
    expect(matchesAllowlist('registry.local:5000/app:1', ['registry.local'])).toBe(false);
    expect(matchesAllowlist(`registry.k8s.io/pause@sha256:${SHA256}`, ['registry.k8s.io/'])).toBe(true);
  });

  it('compares hosts case-insensitively and accepts a parsed reference', () => {
    expect(matchesAllowlist('REGISTRY.k8s.io/pause:3.9', ['registry.K8S.io/'])).toBe(true);
    expect(matchesAllowlist(parseImageRef('registry.k8s.io/pause:3.9'), ['registry.k8s.io/'])).toBe(true);
  });

  it('never matches with an empty allowlist or blank entries', () => {
    expect(matchesAllowlist('nginx', [])).toBe(false);
    expect(matchesAllowlist('nginx', ['', '  ', '/'])).toBe(false);
  });
});
