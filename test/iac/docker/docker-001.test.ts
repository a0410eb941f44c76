import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-001', text, { path: 'Dockerfile' });

describe('DOCKER-001 final stage runs as root', () => {
  it('fires when the final stage has no USER, on its FROM line, with the base-image caveat', () => {
    const [f, ...rest] = check('FROM node:20 AS build\nUSER node\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\n');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location).toEqual({ file: 'Dockerfile', line: 4 });
    expect(f.message).toContain('root unless that image sets another');
    expect(f.compliance).toEqual(['CIS-DOCKER 4.1', 'NIST-800-190 4.1.2', 'PCI-DSS 2.2.6', 'MITRE T1611']);
  });

  it.each(['root', '0', 'root:root', '0:0', 'root:1000'])('fires when the last USER is %s, on that line', (user) => {
    const [f] = check(`FROM alpine:3.20\nUSER app\nRUN id\nUSER ${user}\nCMD ["sh"]\n`);
    expect(f.location?.line).toBe(4);
    expect(f.message).toContain(`USER ${user}`);
  });

  it('says a scratch final stage without USER runs as root', () => {
    expect(check('FROM scratch\nCOPY app /app\n')[0].message).toContain('FROM scratch');
  });

  it.each(['app', '10001', '10001:10001', 'nobody:nogroup', 'rootless'])('passes when the last USER is %s', (user) => {
    expect(check(`FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl\nUSER ${user}\n`)).toEqual([]);
  });

  it('only looks at the final stage', () => {
    expect(check('FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER app\n')).toEqual([]);
  });

  it('inherits USER from the earlier stage the final stage builds on', () => {
    expect(check('FROM node:20 AS base\nUSER node\nFROM base\nCMD ["node"]\n')).toEqual([]);
    expect(check('FROM node:20 AS base\nUSER root\nFROM base\nCMD ["node"]\n')[0].location?.line).toBe(2);
  });

  it('substitutes ARG/ENV into USER and stays silent when the user is unknown', () => {
    expect(check('FROM alpine:3.20\nARG RUN_AS=root\nUSER $RUN_AS\n')[0].location?.line).toBe(3);
    expect(check('FROM alpine:3.20\nARG RUN_AS\nUSER $RUN_AS\n')).toEqual([]);
  });

  it('can be suppressed by a comment above the instruction', () => {
    const [f] = check('FROM alpine:3.20\n# shipwatch:skip=DOCKER-001 the init system drops privileges\nUSER root\n');
    expect(f.suppressed).toBe(true);
    expect(f.suppression?.reason).toBe('the init system drops privileges');
  });

  it('is case-insensitive about the instruction', () => {
    expect(check('from alpine:3.20\nuser 0\n')).toHaveLength(1);
  });
});
