import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-009', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-009 unverified remote code', () => {
  it.each([
    'ADD https://example.com/tool.tar.gz /opt/',
    'ADD http://example.com/script.sh /usr/local/bin/',
    'RUN curl -fsSL https://get.example.com | sh',
    'RUN curl -fsSL https://get.example.com | sudo -E bash -',
    'RUN wget -qO- https://example.com/install.py | python3',
    'RUN wget -O - https://example.com/x.pl | perl',
    'RUN curl -s https://example.com/x | tee /tmp/x | bash',
    'RUN apk add curl && \\\n    curl -sL https://x | sh -s -- --version 1',
    'RUN ["/bin/sh", "-c", "curl -sL https://x | bash"]',
  ])('fires for %s, on its line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.location?.line).toBe(2);
  });

  it.each([
    'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/',
    'ADD app.tar.gz /opt/',
    'RUN curl -fsSLo /tmp/install.sh https://x && sha256sum -c sums && sh /tmp/install.sh',
    'RUN curl -fsSL https://x | tar -xz -C /opt',
    'RUN curl https://x | gpg --dearmor -o /usr/share/keyrings/x.gpg',
    'RUN echo "curl x | sh"',
    'RUN curl -s https://x; sh -c "echo hi"',
  ])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });
});
