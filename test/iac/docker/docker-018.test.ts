import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const enabled = { enable: ['DOCKER-018'] };
const check = (text: string) => findingsFor('DOCKER-018', text, { path: 'Dockerfile', config: enabled });

describe('DOCKER-018 no HEALTHCHECK', () => {
  it('is off by default', () => {
    expect(findingsFor('DOCKER-018', 'FROM nginx:1.27\n', { path: 'Dockerfile' })).toEqual([]);
  });

  it('fires when enabled and the final stage has no HEALTHCHECK, on its FROM line', () => {
    const [f, ...rest] = check('FROM golang:1.22 AS build\nHEALTHCHECK CMD true\nFROM alpine:3.20\nCOPY --from=build /app /app\n');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(3);
    expect(f.compliance).toEqual(['CIS-DOCKER 4.6', 'NIST-800-190 4.4.3']);
  });

  it.each(['HEALTHCHECK CMD curl -f http://localhost/ || exit 1', 'HEALTHCHECK --interval=30s CMD ["wget", "-q", "localhost"]', 'HEALTHCHECK NONE', 'healthcheck none'])(
    'passes with %s in the final stage',
    (line) => {
      expect(check(`FROM alpine:3.20 AS build\nFROM alpine:3.20\n${line}\n`)).toEqual([]);
    },
  );

  it('passes when the final stage inherits a HEALTHCHECK from the stage it builds on', () => {
    expect(check('FROM nginx:1.27 AS base\nHEALTHCHECK CMD true\nFROM base\n')).toEqual([]);
  });
});
