import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-010', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-010 package signature checks disabled', () => {
  it.each([
    'RUN apt-get update && apt-get install -y --allow-unauthenticated curl',
    'RUN apt-get install -y --force-yes curl',
    'RUN apk add --allow-untrusted /tmp/pkg.apk',
    'RUN yum install -y --nogpgcheck httpd',
    'RUN dnf --nogpgcheck install -y httpd',
    'RUN tdnf install --nogpgcheck -y httpd',
    'RUN microdnf install --nogpgcheck httpd',
    'RUN rpm -i --nosignature /tmp/x.rpm',
    'RUN rpm -Uvh --nodigest /tmp/x.rpm',
    'RUN rpm -i --noverify /tmp/x.rpm',
    'RUN rpm -i --nofiledigest /tmp/x.rpm',
    'RUN sudo apt-get -y --allow-unauthenticated install x',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(2);
  });

  it.each(['RUN apt-get install -y curl', 'RUN apk add --no-cache curl', 'RUN yum install -y httpd', 'RUN rpm --import https://x/key && rpm -i /tmp/x.rpm', 'RUN echo --nogpgcheck', 'RUN pip install --nogpgcheck x'])(
    'passes for %s',
    (line) => {
      expect(check(`${line}\n`)).toEqual([]);
    },
  );
});
