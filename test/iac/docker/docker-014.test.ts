import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-014', `FROM debian:12\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-014 unpinned package versions', () => {
  it.each([
    ['RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2 git', 'git'],
    ['RUN apt install -y curl', 'curl'],
    ['RUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev', 'musl-dev'],
    ['RUN pip install flask requests==2.32.3', 'flask'],
    ['RUN pip3 install --no-cache-dir -r requirements.txt gunicorn', 'gunicorn'],
    ['RUN python3 -m pip install --upgrade pip', 'pip'],
    ['RUN npm install -g pnpm', 'pnpm'],
    ['RUN npm i --global @angular/cli typescript@5.4.5', '@angular/cli'],
    ['RUN npm install -g yarn@latest', 'yarn@latest'],
    ['RUN gem install bundler', 'bundler'],
    ['RUN go install golang.org/x/tools/gopls@latest', 'gopls@latest'],
    ['RUN yum install -y httpd-2.4.6 mod_ssl', 'mod_ssl'],
    ['RUN dnf -y install java-17-openjdk', 'java-17-openjdk'],
    ['RUN zypper --non-interactive in nginx', 'nginx'],
    ['RUN DEBIAN_FRONTEND=noninteractive sudo apt-get -o Dpkg::Options::=--force-confold install -y vim', 'vim'],
  ])('fires for %s, naming %s', (line, name) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('low');
    expect(f.location?.line).toBe(2);
    expect(f.message).toContain(name);
  });

  it.each([
    'RUN apt-get install -y curl=8.5.0-2 git=1:2.39.2-1.1',
    'RUN apt-get install -y ./local.deb /tmp/pkg.deb',
    'RUN apt-get install -y $PACKAGES',
    'RUN apk add --no-cache curl=8.5.0-r0 git~2.43 "bash>5"',
    'RUN pip install -r requirements.txt',
    'RUN pip install --requirement requirements/prod.txt',
    'RUN pip install -c constraints.txt flask',
    'RUN pip install . ./lib /tmp/app.whl git+https://github.com/org/repo@v1',
    'RUN pip install "flask>=3,<4" django~=5.0 "requests @ https://x/r.whl"',
    'RUN pip install -e .',
    'RUN npm install',
    'RUN npm ci',
    'RUN npm install express',
    'RUN npm install -g pnpm@9.1.0 @scope/tool@1.2.3 ./local-tool',
    'RUN gem install rails -v 7.1.3',
    'RUN gem install bundler:2.5.9',
    'RUN go install ./cmd/app',
    'RUN go install golang.org/x/tools/gopls@v0.15.3',
    'RUN yum install -y httpd-2.4.6-97.el7 /tmp/x.rpm @development',
    'RUN dnf install -y nodejs-18.19.0-1.module+el8.10.0+1234',
    'RUN zypper install -y "nginx=1.21.5" "curl>=8"',
    'RUN apt-get update',
    'RUN apt-get remove -y curl',
    'RUN echo apt-get install curl',
  ])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });

  it('reports one finding per RUN, listing every manager', () => {
    const [f, ...rest] = check('RUN apt-get install -y curl && pip install flask\n');
    expect(rest).toEqual([]);
    expect(f.message).toBe('packages without versions: apt-get install: curl; pip install: flask');
  });
});
