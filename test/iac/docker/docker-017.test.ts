import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-017', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-017 relative or system WORKDIR', () => {
  it.each(['WORKDIR app', 'WORKDIR ./src', 'workdir ..', 'WORKDIR /', 'WORKDIR /usr', 'WORKDIR /etc/', 'WORKDIR //bin', 'WORKDIR /usr/../proc', 'WORKDIR "/sys"'])(
    'fires for %s, on its line',
    (line) => {
      const [f, ...rest] = check(`${line}\n`);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('low');
      expect(f.location?.line).toBe(2);
    },
  );

  it('substitutes ARG and ENV before judging', () => {
    expect(check('ARG DIR=app\nWORKDIR $DIR\n').map((f) => f.location?.line)).toEqual([3]);
    expect(check('ENV ROOT=/\nWORKDIR ${ROOT}\n')).toHaveLength(1);
    expect(check('ENV APP=/srv/app\nWORKDIR $APP\n')).toEqual([]);
  });

  it.each(['WORKDIR /app', 'WORKDIR /usr/src/app', 'WORKDIR /usr/local', 'WORKDIR /home/app', 'WORKDIR $HOME/app', 'WORKDIR /opt/$APP'])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });

  it('accepts absolute Windows paths', () => {
    expect(findingsFor('DOCKER-017', '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n', { path: 'Dockerfile' })).toEqual([]);
  });
});
