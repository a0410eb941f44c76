import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const withEnv = (name: string, value: string) =>
  inEveryWorkloadKind(`containers:\n- name: main\n  image: app:1.0\n  env:\n  - name: ${name}\n    value: ${JSON.stringify(value)}\n`).Deployment;

describe('K8S-044 hard-coded credential in an env var', () => {
  const literal = `containers:
- name: main
  image: app:1.0
  env:
  - name: LOG_LEVEL
    value: info
  - name: DB_PASSWORD
    value: supersecret
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(literal))) {
    it(`fires on a sensitive name with a literal in a ${kind}, on the value line`, () => {
      const [f, ...rest] = findingsFor('K8S-044', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('high');
      expect(f.container).toBe('main');
      expect(f.message).toContain('DB_PASSWORD');
      expect(f.message).not.toContain('supersecret');
      expect(f.location?.line).toBe(lineOf(yaml, 'value: supersecret'));
    });
  }

  it.each([
    ['API_KEY', 'abc123def'],
    ['clientSecret', 's3cr3t'],
    ['GITHUB_TOKEN', 'not-a-pattern-but-literal'],
    ['SSH_KEY_DATA', 'AAAAB3Nza'],
  ])('fires on %s with a literal', (name, value) => {
    expect(findingsFor('K8S-044', withEnv(name, value))).toHaveLength(1);
  });

  it.each([
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app'],
    ['CONFIG', `key=AKIAIOSFODNN7EXAMPLE`],
    ['AUTH', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
    ['TLS', '-----BEGIN RSA PRIVATE KEY-----'],
    ['SLACK_WEBHOOK_HEADER', 'xoxb-1234567890-abcdefghij'],
  ])('fires on a credential-looking value whatever the name (%s)', (name, value) => {
    expect(findingsFor('K8S-044', withEnv(name, value))).toHaveLength(1);
  });

  it.each([
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '{{ .Values.password }}'],
    ['DB_PASSWORD_FILE', '/run/secrets/db'],
    ['DB_PASSWORD_FILE', 'secrets/db'],
    ['TOKEN_TTL', '3600s'],
    ['PASSWORD', '/etc/app/password'],
    ['SECRET_ENABLED', 'true'],
    ['API_KEY', '12345'],
    ['USERNAME', 'admin'],
    ['DATABASE_URL', 'postgres://app@db:5432/app'],
  ])('passes %s=%j', (name, value) => {
    expect(findingsFor('K8S-044', withEnv(name, value))).toEqual([]);
  });

  it('passes on secretKeyRef and on numbers and booleans written unquoted', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: app:1.0
  env:
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: password}}
  - name: TOKEN
    value: 42
  - name: SECRET
    value: true
`).Pod;
    expect(findingsFor('K8S-044', yaml)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers, each entry separately', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: app:1.0
  env: [{name: PASSWORD, value: a1}, {name: TOKEN, value: b2}]
initContainers:
- name: init
  image: app:1.0
  env: [{name: API_KEY, value: c3}]
ephemeralContainers:
- name: debug
  image: busybox:1.36
  env: [{name: SECRET, value: d4}]
`).CronJob;
    expect(findingsFor('K8S-044', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init', 'main', 'main']);
  });

  it('survives malformed env entries', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: app:1.0\n  env: [null, {name: 3, value: 4}, {value: plain}, {name: [x], value: y}]\n').Pod;
    expect(findingsFor('K8S-044', yaml)).toEqual([]);
  });
});
