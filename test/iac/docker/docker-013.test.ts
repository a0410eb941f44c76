import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-013', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-013 SSH port exposed', () => {
  it.each(['EXPOSE 22', 'EXPOSE 80 22/tcp', 'EXPOSE 22/udp', 'expose 20-25', 'ARG SSH=22\nEXPOSE $SSH'])('fires for %s, on the EXPOSE line', (text) => {
    const [f, ...rest] = check(`${text}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(text.split('\n').length + 1);
  });

  it.each(['EXPOSE 80 443', 'EXPOSE 2222', 'EXPOSE 220', 'EXPOSE 23-80', 'EXPOSE $PORT'])('passes for %s', (text) => {
    expect(check(`${text}\n`)).toEqual([]);
  });
});
