import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-015', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-015 package index update without install', () => {
  it.each([
    'RUN apt-get update',
    'RUN apt update && echo done',
    'RUN apk update',
    'RUN yum makecache',
    'RUN dnf makecache --refresh',
    'RUN apt-get update && pip install flask==3.0.3',
    'RUN ["apt-get", "update"]',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(2);
  });

  it('fires for an update whose install is in a later RUN', () => {
    expect(check('RUN apt-get update\nRUN apt-get install -y curl=8.5.0-2\n').map((f) => f.location?.line)).toEqual([2]);
  });

  it.each([
    'RUN apt-get update && apt-get install -y curl',
    'RUN apt-get update \\\n && apt-get upgrade -y',
    'RUN apk update && apk add curl',
    'RUN dnf makecache && dnf install -y httpd',
    'RUN yum makecache && microdnf install httpd',
    'RUN <<EOF\napt-get update\napt-get install -y curl\nEOF',
    'RUN apk add --update curl',
    'RUN yum update -y',
  ])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });
});
