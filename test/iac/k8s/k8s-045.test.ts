import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n${data}`;

describe('K8S-045 credential in a ConfigMap', () => {
  it('fires on a sensitive key with a literal, on the key line', () => {
    const yaml = configMap('  LOG_LEVEL: info\n  DB_PASSWORD: supersecret\n');
    const [f, ...rest] = findingsFor('K8S-045', yaml);
    expect(rest).toHaveLength(0);
    expect(f.severity).toBe('high');
    expect(f.message).toContain('DB_PASSWORD');
    expect(f.message).not.toContain('supersecret');
    expect(f.location?.line).toBe(lineOf(yaml, 'DB_PASSWORD'));
  });

  it('fires on a value matching a sensitive value pattern whatever the key', () => {
    expect(findingsFor('K8S-045', configMap('  database: "postgres://app:hunter2@db/app"\n'))).toHaveLength(1);
    expect(findingsFor('K8S-045', configMap('  tls.pem: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEE\n    -----END EC PRIVATE KEY-----\n'))).toHaveLength(1);
  });

  it('fires on NAME=literal and NAME: literal lines inside a value, on the key line', () => {
    const env = configMap('  app.env: |\n    LOG_LEVEL=debug\n    DB_PASSWORD=supersecret\n');
    const [f] = findingsFor('K8S-045', env);
    expect(f.message).toContain('DB_PASSWORD');
    expect(f.location?.line).toBe(lineOf(env, 'app.env'));
    expect(findingsFor('K8S-045', configMap('  application.yaml: |\n    spring:\n      datasource:\n        password: hunter2\n'))).toHaveLength(1);
    expect(findingsFor('K8S-045', configMap('  app.properties: |\n    smtp.pass = hunter2\n'))).toHaveLength(1);
    expect(findingsFor('K8S-045', configMap('  settings.json: |\n    {\n      "apiKey": "abc123",\n      "debug": true\n    }\n'))).toHaveLength(1);
    expect(findingsFor('K8S-045', configMap('  run.sh: |\n    export API_TOKEN="t0k3n"\n'))).toHaveLength(1);
  });

  it.each([
    ['reference', '  app.env: |\n    DB_PASSWORD=${DB_PASSWORD}\n'],
    ['quoted reference', '  app.env: |\n    DB_PASSWORD="${DB_PASSWORD}"\n'],
    ['Kubernetes reference', '  app.env: |\n    DB_PASSWORD=$(DB_PASSWORD)\n'],
    ['empty value', '  app.env: |\n    DB_PASSWORD=\n'],
    ['path', '  app.env: |\n    DB_PASSWORD_FILE=/run/secrets/db\n    TLS_KEY=/etc/tls/tls.key\n'],
    ['non-sensitive names', '  app.env: |\n    LOG_LEVEL=debug\n    USER=admin\n'],
    ['nested YAML under a sensitive name', '  app.yaml: |\n    password:\n      file: /run/secrets/db\n    token: |\n      ${TOKEN}\n    secret: null\n'],
    ['a comment', '  app.env: |\n    # DB_PASSWORD=supersecret\n'],
    ['sensitive key with a reference', '  DB_PASSWORD: ${DB_PASSWORD}\n'],
    ['sensitive key with a boolean', '  SECRET_ROTATION: "true"\n'],
    ['name-like sensitive key', '  SECRET_NAME: db-credentials\n'],
    ['plain configuration', '  nginx.conf: |\n    server { listen 80; }\n'],
  ])('passes on %s', (_what, data) => {
    expect(findingsFor('K8S-045', configMap(data))).toEqual([]);
  });

  it('judges a multi-line value under a sensitive key by its lines', () => {
    expect(findingsFor('K8S-045', configMap('  secrets.env: |\n    DB_PASSWORD=${DB_PASSWORD}\n    MODE=prod\n'))).toEqual([]);
    expect(findingsFor('K8S-045', configMap('  secrets.env: |\n    DB_PASSWORD=plain\n'))).toHaveLength(1);
  });

  it('reports each offending key once', () => {
    const yaml = configMap('  A_TOKEN: t1\n  app.env: |\n    PASSWORD=p1\n    SECRET=s1\n  plain: ok\n');
    expect(findingsFor('K8S-045', yaml).map((f) => f.location?.line)).toEqual([lineOf(yaml, 'A_TOKEN'), lineOf(yaml, 'app.env')]);
  });

  it('checks ConfigMaps only and survives malformed data', () => {
    expect(findingsFor('K8S-045', configMap('  PASSWORD: 123456\n  TOKEN: [a]\n  SECRET: {a: b}\n'))).toEqual([]);
    expect(findingsFor('K8S-045', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata: [PASSWORD=x]\n')).toEqual([]);
    expect(findingsFor('K8S-045', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\nbinaryData:\n  PASSWORD: c2VjcmV0\n')).toEqual([]);
    expect(findingsFor('K8S-045', 'apiVersion: example.com/v1\nkind: AppConfig\nmetadata:\n  name: cfg\ndata:\n  PASSWORD: x\n')).toEqual([]);
  });
});
