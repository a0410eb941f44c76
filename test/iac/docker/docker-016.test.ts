import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-016', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-016 package manager cache left in the image', () => {
  it.each([
    'RUN apt-get update && apt-get install -y curl',
    'RUN apt-get install -y curl && apt-get clean',
    'RUN apk add curl',
    'RUN yum install -y httpd',
    'RUN dnf install -y httpd && dnf clean packages',
    'RUN pip install flask',
    'RUN zypper install -y nginx',
    'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
    'RUN --mount=type=bind,target=/var/lib/apt apt-get install -y curl',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(2);
  });

  it('fires when the cleanup is in a later RUN', () => {
    expect(check('RUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n').map((f) => f.location?.line)).toEqual([2]);
  });

  it.each([
    'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    'RUN apt-get update \\\n && apt-get install -y curl \\\n && rm -rf /var/lib/apt/lists',
    'RUN apk add --no-cache curl',
    'RUN apk add curl && rm -rf /var/cache/apk/*',
    'RUN yum install -y httpd && yum clean all',
    'RUN dnf install -y httpd && dnf clean all && rm -rf /var/cache/dnf',
    'RUN microdnf install httpd && microdnf clean all',
    'RUN pip install --no-cache-dir flask',
    'RUN python3 -m pip install --no-cache-dir -r requirements.txt',
    'RUN pip install flask && rm -rf /root/.cache/pip',
    'RUN zypper install -y nginx && zypper clean --all',
    'RUN zypper in -y nginx && zypper cc -a',
    'RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl',
    'RUN --mount=type=cache,target=/root/.cache pip install flask',
    'RUN --mount=type=cache,target=/var/cache/apk apk add curl',
    'RUN npm install -g pnpm',
    'RUN apt-get update',
  ])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });

  it('accepts PIP_NO_CACHE_DIR set by ENV', () => {
    expect(check('ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n')).toEqual([]);
  });
});
