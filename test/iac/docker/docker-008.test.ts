import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const check = (text: string) => findingsFor('DOCKER-008', `FROM alpine:3.20\n${text}`, { path: 'Dockerfile' });

describe('DOCKER-008 TLS verification disabled in the build', () => {
  it.each([
    'RUN curl -k https://example.com/x -o /x',
    'RUN curl --insecure -fsSL https://example.com/x',
    'RUN curl -fsSLk https://example.com/x',
    'RUN wget --no-check-certificate https://example.com/x',
    'RUN pip install --trusted-host pypi.example.com flask==3.0.3',
    'RUN python3 -m pip install --trusted-host=pypi.example.com -r requirements.txt',
    'RUN npm config set strict-ssl false',
    'RUN yarn config set strict-ssl false',
    'RUN npm set strict-ssl=false',
    'RUN git -c http.sslVerify=false clone https://git.example.com/repo.git',
    'RUN git config --global http.sslVerify false',
    "RUN yum-config-manager --setopt='*.sslverify=0' --save",
    'RUN apk add curl && NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci',
    'RUN <<EOF\nset -e\ncurl -k https://example.com/x\nEOF',
    'RUN ["sh", "-c", "wget --no-check-certificate https://x"]',
  ])('fires for %s, on the RUN line', (line) => {
    const [f, ...rest] = check(`${line}\n`);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.location?.line).toBe(2);
  });

  it.each(['ENV NODE_TLS_REJECT_UNAUTHORIZED=0', 'ENV PYTHONHTTPSVERIFY 0', 'ENV GIT_SSL_NO_VERIFY=1', 'ENV GIT_SSL_NO_VERIFY=true', 'ENV NPM_CONFIG_STRICT_SSL=false', 'ENV npm_config_strict_ssl=false', 'ENV PIP_TRUSTED_HOST=pypi.example.com'])(
    'fires for %s',
    (line) => {
      expect(check(`${line}\n`).map((f) => f.location?.line)).toEqual([2]);
    },
  );

  it.each([
    'RUN curl -fsSL https://example.com/x',
    'RUN curl -o key https://example.com/x',
    'RUN curl -H "X-Flag: -k" https://example.com',
    'RUN echo curl -k',
    'RUN wget -q https://example.com/x',
    'RUN pip install flask==3.0.3',
    'RUN npm config set strict-ssl true',
    'RUN git -c http.sslVerify=true clone https://x',
    'ENV NODE_TLS_REJECT_UNAUTHORIZED=1',
    'ENV PYTHONHTTPSVERIFY=1',
    'ENV NPM_CONFIG_STRICT_SSL=true',
    'ENV PIP_TRUSTED_HOST=',
    'RUN cat > /etc/x <<EOF\ncurl -k https://x\nEOF',
  ])('passes for %s', (line) => {
    expect(check(`${line}\n`)).toEqual([]);
  });
});
