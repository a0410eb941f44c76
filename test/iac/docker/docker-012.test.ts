import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-012', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-012 password set in the image', () => {
  it.each([
    "RUN echo 'root:toor' | chpasswd",
    'RUN echo app:pw | /usr/sbin/chpasswd -e',
    'RUN echo pw | passwd --stdin root',
    "RUN usermod -p '$6$hash' root",
    "RUN usermod --password '$6$hash' app",
    "RUN useradd -m -p '$6$hash' app",
    "RUN echo 'root:$6$x:19000::::::' > /etc/shadow",
    'RUN echo x >> /etc/shadow',
    'RUN echo x | tee -a /etc/shadow',
    "RUN sed -i 's/^root:[^:]*:/root:x:/' /etc/shadow",
    'RUN cp /tmp/shadow /etc/shadow',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(2);
  });

  it.each(['RUN passwd -l root', 'RUN useradd -m app', 'RUN usermod -aG docker app', 'RUN cat /etc/shadow', 'RUN cp /etc/shadow /tmp/backup', 'RUN echo chpasswd', 'RUN grep root /etc/shadow > /tmp/x'])(
    'passes for %s',
    (line) => {
      expect(check(`${line}\n`)).toEqual([]);
    },
  );
});
