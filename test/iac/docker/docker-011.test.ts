import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-011', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-011 sudo in RUN', () => {
  it.each([
    'RUN sudo apt-get update',
    'RUN apt-get update && sudo apt-get install -y curl',
    'RUN echo hi; sudo -u app ls',
    'RUN DEBIAN_FRONTEND=noninteractive sudo apt-get install -y x',
    'RUN /usr/bin/sudo id',
    'RUN if true; then sudo id; fi',
    'RUN ["sudo", "id"]',
    'RUN <<EOF\nsudo id\nEOF',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.location?.line).toBe(2);
  });

  it.each(['RUN apt-get install -y sudo', 'RUN echo sudo', 'RUN echo "a && sudo b"', 'RUN visudo -c', 'RUN cat > /etc/x <<EOF\nsudo id\nEOF'])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });
});
