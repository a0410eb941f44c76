import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const check = (id: string, text: string, trustedRegistries?: string[]) =>
  findingsFor(id, text, { path: 'Dockerfile', config: trustedRegistries ? { trustedRegistries } : {} });

describe('DOCKER-002 base image latest or untagged', () => {
  it.each(['nginx', 'nginx:latest', 'library/nginx', 'registry.example.com:5000/team/app', 'registry.example.com:5000/team/app:latest'])(
    'fires for FROM %s, on the FROM line',
    (image) => {
      const [f, ...rest] = check('DOCKER-002', `# base\nFROM ${image} AS app\n`);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('medium');
      expect(f.location?.line).toBe(2);
    },
  );

  it.each(['nginx:1.27', `nginx@${DIGEST}`, `nginx:latest@${DIGEST}`, 'registry.example.com:5000/app:2.1', 'scratch'])('passes for FROM %s', (image) => {
    expect(check('DOCKER-002', `FROM ${image}\n`)).toEqual([]);
  });

  it('checks every stage, skips stage references, and names each stage in its own finding', () => {
    const fs = check('DOCKER-002', 'FROM golang AS build\nFROM build AS test\nFROM alpine\n');
    expect(fs.map((f) => f.location?.line)).toEqual([1, 3]);
    expect(new Set(fs.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('skips --platform and substitutes global ARGs', () => {
    expect(check('DOCKER-002', 'ARG TAG=latest\nFROM --platform=$BUILDPLATFORM node:$TAG\n')[0].location?.line).toBe(2);
    expect(check('DOCKER-002', 'ARG TAG=20\nFROM --platform=linux/amd64 node:${TAG}\n')).toEqual([]);
  });

  it('never reports an image reference it cannot resolve', () => {
    expect(check('DOCKER-002', 'ARG BASE\nFROM $BASE\nFROM ${REGISTRY}/app\n')).toEqual([]);
  });
});

describe('DOCKER-003 base image not pinned by digest', () => {
  it.each(['nginx:1.27', 'nginx', 'nginx@sha256:abc', `nginx@sha256:${'A'.repeat(64)}`, `nginx@sha512:${'a'.repeat(64)}`])('fires for FROM %s', (image) => {
    const [f] = check('DOCKER-003', `FROM ${image}\n`);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(1);
  });

  it.each([`nginx@${DIGEST}`, `nginx:1.27@${DIGEST}`, `nginx@sha512:${'b'.repeat(128)}`, `nginx@blake3:${'c'.repeat(64)}`, 'nginx@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8'])(
    'passes for FROM %s',
    (image) => {
      expect(check('DOCKER-003', `FROM ${image}\n`)).toEqual([]);
    },
  );

  it('ignores scratch, earlier stages and unresolvable references', () => {
    expect(check('DOCKER-003', `FROM golang@${DIGEST} AS build\nFROM build\nFROM scratch\nARG X\nFROM $X\n`)).toEqual([]);
  });
});

describe('DOCKER-004 base image from an untrusted registry', () => {
  const allow = ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/', 'gcr.io/distroless'];

  it('is off without an allowlist', () => {
    expect(check('DOCKER-004', 'FROM evil.io/app:1\n')).toEqual([]);
  });

  it.each(['nginx:1.27', 'evil.io/app:1', '123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/app:1', 'gcr.io/distroless-fake/static:1'])(
    'fires for FROM %s outside the allowlist',
    (image) => {
      const [f] = check('DOCKER-004', `FROM ${image}\n`, allow);
      expect(f.severity).toBe('medium');
      expect(f.location?.line).toBe(1);
    },
  );

  it.each(['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1', 'gcr.io/distroless/static:nonroot', 'gcr.io/distroless'])('passes for FROM %s', (image) => {
    expect(check('DOCKER-004', `FROM ${image}\n`, allow)).toEqual([]);
  });

  it('resolves Docker Hub names and ARG-substituted references', () => {
    expect(check('DOCKER-004', 'FROM nginx:1.27\n', ['docker.io/library/'])).toEqual([]);
    expect(check('DOCKER-004', 'ARG REG=evil.io\nFROM $REG/app:1\n', allow)).toHaveLength(1);
    expect(check('DOCKER-004', 'ARG REG\nFROM $REG/app:1\nFROM scratch\n', allow)).toEqual([]);
  });
});
