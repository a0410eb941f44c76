import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-007', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-007 secret files copied into the image', () => {
  it.each([
    'COPY .env /app/',
    'COPY config/.env /app/.env',
    'COPY tls/server.pem /etc/tls/',
    'COPY *.key /etc/tls/',
    'ADD certs/client.P12 /certs/',
    'COPY store.pfx /certs/',
    'COPY id_rsa /root/.ssh/id_rsa',
    'COPY keys/id_ed25519.pub /root/',
    'COPY .ssh /root/.ssh',
    'COPY home/.aws/credentials /root/.aws/credentials',
    'COPY .npmrc package.json /app/',
    'COPY .pypirc /root/',
    'COPY .git-credentials /root/',
    'COPY .docker/config.json /root/.docker/',
    'COPY --from=build /root/.ssh/known_hosts /tmp/',
    'COPY ["secrets/.env", "/app/"]',
  ])('fires for %s, on its line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(2);
  });

  it.each(['COPY . /app', 'COPY .env.example /app/', 'COPY src/keys.ts /app/', 'COPY public.pem.txt /x/', 'COPY config.json /root/', 'COPY app /root/.ssh/', 'COPY <<EOF /app/.env\nA=1\nEOF'])(
    'passes for %s',
    (line) => {
      expect(check(`${line}\n`)).toEqual([]);
    },
  );

  it('substitutes ARG values into sources and skips unresolvable ones', () => {
    expect(check('ARG KEY=server.key\nCOPY $KEY /etc/\n')).toHaveLength(1);
    expect(check('ARG KEY\nCOPY $KEY /etc/\n')).toEqual([]);
  });
});
