import { describe, expect, it } from 'vitest';
import { ALNUM, BASE64, URL_SAFE, expectNoRawSecret, fake, hitsOf, lineOf } from './fixtures.ts';

/** A PEM block with a random-looking body of `lines` 64-character lines. */
function pem(label: string, seed: number, lines = 12, body?: string): { block: string; body: string } {
  const content = body ?? Array.from({ length: lines }, (_, i) => fake(BASE64, 64, seed * 100 + i)).join('\n');
  return { block: `-----BEGIN ${label}-----\n${content}\n-----END ${label}-----\n`, body: content };
}

/** An OpenSSH key body stored with the given cipher. */
function openSshBody(cipher: string, seed: number): string {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(cipher.length);
  const bytes = Buffer.concat([Buffer.from('openssh-key-v1\0', 'latin1'), length, Buffer.from(cipher), Buffer.from(fake(ALNUM, 300, seed))]);
  return bytes.toString('base64').replace(/.{70}/g, '$&\n');
}

describe('SECRET-08 private key block', () => {
  for (const label of ['RSA PRIVATE KEY', 'DSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
    it(`reports a ${label} as critical, on the BEGIN line`, () => {
      const { block, body } = pem(label, label.length);
      const text = `# TLS material\nkey: |\n${block}`;
      const [f, ...rest] = hitsOf('SECRET-08', text, 'deploy/tls.txt');
      expect(rest).toEqual([]);
      expect(f.severity).toBe('critical');
      expect(f.line).toBe(3);
      expect(f.message).toContain(label);
      for (const line of body.split('\n')) expectNoRawSecret([f], line);
    });
  }

  it('reports an unencrypted OpenSSH key as critical and an encrypted one as medium', () => {
    const plain = pem('OPENSSH PRIVATE KEY', 0, 0, openSshBody('none', 81)).block;
    const encrypted = pem('OPENSSH PRIVATE KEY', 0, 0, openSshBody('aes256-ctr', 82)).block;
    expect(hitsOf('SECRET-08', plain, 'home/dev/.ssh/id_ed25519').map((f) => f.severity)).toEqual(['critical']);
    expect(hitsOf('SECRET-08', encrypted, 'home/dev/.ssh/id_ed25519').map((f) => f.severity)).toEqual(['medium']);
  });

  it('reports encrypted keys (PKCS#8 ENCRYPTED, legacy Proc-Type header) as medium', () => {
    expect(hitsOf('SECRET-08', pem('ENCRYPTED PRIVATE KEY', 83).block)[0].severity).toBe('medium');
    const legacy = pem('RSA PRIVATE KEY', 0, 0, `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${fake('0123456789ABCDEF', 32, 84)}\n\n${fake(BASE64, 64, 85)}\n${fake(BASE64, 64, 86)}`);
    expect(hitsOf('SECRET-08', legacy.block)[0].severity).toBe('medium');
  });

  it('reports a key written as one string with \\n escapes', () => {
    const body = [fake(BASE64, 64, 87), fake(BASE64, 64, 88)].join('\\n');
    const text = `{"tls": {"key": "-----BEGIN EC PRIVATE KEY-----\\n${body}\\n-----END EC PRIVATE KEY-----\\n"}}`;
    const found = hitsOf('SECRET-08', text, 'config/tls.json');
    expect(found).toHaveLength(1);
    expectNoRawSecret(found, body.replace(/\\n/g, ''));
  });

  it('reports each of several keys on its own BEGIN line', () => {
    const text = `${pem('RSA PRIVATE KEY', 89).block}\n${pem('EC PRIVATE KEY', 90, 3).block}`;
    expect(hitsOf('SECRET-08', text).map((f) => f.line)).toEqual([1, lineOf(text, 'BEGIN EC')]);
  });

  it('needs a body of at least 32 characters and the matching END line within 64 KB', () => {
    expect(hitsOf('SECRET-08', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n')).toEqual([]);
    expect(hitsOf('SECRET-08', pem('RSA PRIVATE KEY', 91).block.replace('-----END RSA PRIVATE KEY-----', ''))).toEqual([]);
    expect(hitsOf('SECRET-08', pem('RSA PRIVATE KEY', 92).block.replace('END RSA', 'END EC'))).toEqual([]);
    const huge = pem('RSA PRIVATE KEY', 93, 1100);
    expect(huge.body.length).toBeGreaterThan(65536);
    expect(hitsOf('SECRET-08', huge.block)).toEqual([]);
  });

  it('ignores public keys, certificates and placeholder bodies', () => {
    expect(hitsOf('SECRET-08', pem('PUBLIC KEY', 94).block)).toEqual([]);
    expect(hitsOf('SECRET-08', pem('CERTIFICATE', 95).block)).toEqual([]);
    expect(hitsOf('SECRET-08', pem('RSA PRIVATE KEY', 0, 0, '<paste the base64 of your private key here>').block)).toEqual([]);
    expect(hitsOf('SECRET-08', pem('RSA PRIVATE KEY', 0, 0, 'MIIE'.padEnd(64, 'A').repeat(3)).block)).toEqual([]);
  });

  it('stays fast on a large file of unterminated BEGIN lines', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\n${fake(BASE64, 60, 96)}\n`.repeat(30_000);
    const started = performance.now();
    expect(hitsOf('SECRET-08', text)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('SECRET-13 Docker registry auth', () => {
  const password = fake(ALNUM, 24, 131);
  const auth = Buffer.from(`deploy:${password}`).toString('base64');
  const config = (auths: string) => `{\n  "auths": {\n${auths}\n  },\n  "credsStore": ""\n}\n`;

  it('reports auths.<host>.auth holding base64 user:password, on the auth line', () => {
    const text = config(`    "registry.corp.internal:5000": {\n      "auth": "${auth}"\n    }`);
    const [f, ...rest] = hitsOf('SECRET-13', text, 'home/ci/.docker/config.json');
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.line).toBe(lineOf(text, '"auth"'));
    expectNoRawSecret([f], auth);
    expectNoRawSecret([f], password);
  });

  it('reports every registry of the auths object', () => {
    const other = Buffer.from(`AWS:${fake(ALNUM, 40, 132)}`).toString('base64');
    const text = config(`    "a.example.com": {"auth": "${auth}"},\n    "b.example.com": {"email": "x@y.z", "auth": "${other}"}`);
    expect(hitsOf('SECRET-13', text, 'config.json')).toHaveLength(2);
  });

  it('requires a colon and a password in the decoded value', () => {
    const noColon = Buffer.from(fake(ALNUM, 30, 133)).toString('base64');
    const noPassword = Buffer.from('deploy-robot-account:').toString('base64');
    expect(hitsOf('SECRET-13', config(`    "r.io": {"auth": "${noColon}"}`))).toEqual([]);
    expect(hitsOf('SECRET-13', config(`    "r.io": {"auth": "${noPassword}"}`))).toEqual([]);
  });

  it('only looks inside an "auths" object', () => {
    expect(hitsOf('SECRET-13', `{"auth": "${auth}"}`)).toEqual([]);
    expect(hitsOf('SECRET-13', `{"auths": {}, "other": {"auth": "${auth}"}}`)).toEqual([]);
    expect(hitsOf('SECRET-13', `{"auths": {"r.io": {"note": "}{", "auth": "${auth}"}}}`)).toHaveLength(1);
  });

  it('ignores placeholder credentials, judged on the decoded value', () => {
    const placeholder = Buffer.from('your_user:your_password_1234').toString('base64');
    expect(hitsOf('SECRET-13', config(`    "r.io": {"auth": "${placeholder}"}`))).toEqual([]);
  });
});

describe('SECRET-14 Kubernetes credentials', () => {
  const token = fake(URL_SAFE, 64, 141);
  const clientKey = Buffer.from(pem('RSA PRIVATE KEY', 142).block).toString('base64');
  const kubeconfig = (kind: string) => `apiVersion: v1
kind: ${kind}
clusters:
- name: prod
  cluster:
    server: https://10.0.0.1:6443
users:
- name: ci
  user:
    token: ${token}
- name: admin
  user:
    client-certificate-data: ${fake(BASE64, 80, 143)}
    client-key-data: "${clientKey}"
contexts: []
`;

  it('reports user tokens and client-key-data in a kubeconfig', () => {
    const text = kubeconfig('Config');
    const found = hitsOf('SECRET-14', text, 'home/ci/.kube/config');
    expect(found.map((f) => f.line)).toEqual([lineOf(text, 'token:'), lineOf(text, 'client-key-data:')]);
    expect(found.every((f) => f.severity === 'critical')).toBe(true);
    expectNoRawSecret(found, token);
    expectNoRawSecret(found, clientKey);
  });

  it('only in files that contain kind: Config', () => {
    expect(hitsOf('SECRET-14', kubeconfig('ConfigMap'))).toEqual([]);
    expect(hitsOf('SECRET-14', kubeconfig('Secret'))).toEqual([]);
  });

  it('does not take the next line for an empty token', () => {
    const text = 'kind: Config\nusers:\n- name: x\n  user:\n    token:\n    client-certificate-data-path: /etc/kubernetes/pki/x.crt\n';
    expect(hitsOf('SECRET-14', text)).toEqual([]);
  });

  it('reports a baked-in service-account token file', () => {
    const jwt = `eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.${Buffer.from('{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:prod:app"}').toString('base64url')}.${fake(URL_SAFE, 342, 144)}`;
    for (const path of ['var/run/secrets/kubernetes.io/serviceaccount/token', '/run/secrets/kubernetes.io/serviceaccount/token']) {
      const [f, ...rest] = hitsOf('SECRET-14', jwt, path);
      expect(rest).toEqual([]);
      expect(f.line).toBe(1);
      expectNoRawSecret([f], jwt);
    }
    expect(hitsOf('SECRET-14', jwt, 'var/run/secrets/kubernetes.io/serviceaccount/namespace')).toEqual([]);
  });
});

describe('SECRET-15 JWT', () => {
  const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const jwt = (payload: object, header: object = { alg: 'HS256', typ: 'JWT' }, signature = fake(URL_SAFE, 43, 151)) =>
    `${segment(header)}.${segment(payload)}.${signature}`;
  const now = Math.floor(Date.now() / 1000);

  it('reports a token without exp, or with exp in the future, as high', () => {
    for (const token of [jwt({ sub: 'svc-billing', role: 'admin' }), jwt({ sub: 'svc-billing', exp: now + 86_400 })]) {
      const [f, ...rest] = hitsOf('SECRET-15', `Authorization: Bearer ${token}\n`, 'scripts/call.sh');
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expectNoRawSecret([f], token);
    }
  });

  it('reports an expired token as medium', () => {
    const [f] = hitsOf('SECRET-15', `token=${jwt({ sub: 'svc-billing', exp: now - 3600 })}`);
    expect(f.severity).toBe('medium');
    expect(f.message).toMatch(/expired/);
  });

  it('ignores unsigned alg none tokens', () => {
    const header = { alg: 'none', typ: 'JWT' };
    expect(hitsOf('SECRET-15', `token=${jwt({ sub: 'svc-billing-admin' }, header, '')}`)).toEqual([]);
    expect(hitsOf('SECRET-15', `token=${jwt({ sub: 'svc-billing-admin' }, { alg: 'None' })}`)).toEqual([]);
  });

  it('requires header and payload to decode to JSON objects', () => {
    const notJson = `eyJ${fake(ALNUM, 30, 152)}`;
    expect(hitsOf('SECRET-15', `t=${notJson}.${segment({ sub: 'svc-billing' })}.${fake(URL_SAFE, 43, 153)}`)).toEqual([]);
    expect(hitsOf('SECRET-15', `t=${segment({ alg: 'HS256' })}.${notJson}.${fake(URL_SAFE, 43, 153)}`)).toEqual([]);
  });

  it('needs a left boundary and a signature of 10 or more characters', () => {
    const token = jwt({ sub: 'svc-billing' });
    expect(hitsOf('SECRET-15', `x_${token}`)).toEqual([]);
    expect(hitsOf('SECRET-15', `t=${token.slice(0, token.lastIndexOf('.') + 10)}`)).toEqual([]);
  });
});
