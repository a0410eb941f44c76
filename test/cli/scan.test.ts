import { symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { shipwatch, tempRepo } from '../helpers/cli.ts';

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
`;

const HARDENED = `apiVersion: v1
kind: Pod
metadata:
  name: ok
  namespace: tools
spec:
  automountServiceAccountToken: false
  serviceAccountName: runner
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: registry.example.com/app@sha256:${'a'.repeat(64)}
      resources:
        requests: {cpu: 10m, memory: 32Mi}
        limits: {cpu: 100m, memory: 64Mi}
      livenessProbe: {httpGet: {path: /, port: 8080}}
      readinessProbe: {httpGet: {path: /, port: 8080}}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
`;

type Output = { findings: { ruleId: string; location: { file: string; line: number }; suppressed: boolean; suppression: { source: string; reason: string } | null }[]; errors: { file: string; message: string }[]; notices: { message: string }[] };

describe('shipwatch scan (real binary)', () => {
  it('reports findings with file and line, JSON output matching the published schema, exit 1 at high', () => {
    const root = tempRepo({ 'deploy/pod.yaml': PRIVILEGED });
    const r = shipwatch(['scan', '.', '--format', 'json'], { cwd: root });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Output;
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'scan-output.schema.json'), 'utf8'));
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    const privileged = out.findings.find((f) => f.ruleId === 'K8S-001');
    expect(privileged?.location).toEqual({ file: 'deploy/pod.yaml', line: 11 });
  });

  it('exits 0 when nothing reaches --fail-on, and honours --fail-on none', () => {
    const root = tempRepo({ 'pod.yaml': HARDENED });
    expect(shipwatch(['scan', root, '--quiet']).code).toBe(0);
    const bad = tempRepo({ 'pod.yaml': PRIVILEGED });
    expect(shipwatch(['scan', bad, '--fail-on', 'none', '--quiet']).code).toBe(0);
    expect(shipwatch(['scan', bad, '--fail-on', 'critical', '--quiet']).code).toBe(1);
  });

  it('reads manifests from stdin with "-"', () => {
    const r = shipwatch(['scan', '-', '--format', 'json'], { input: PRIVILEGED });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.findings.some((f) => f.ruleId === 'K8S-001' && f.location.file === '-')).toBe(true);
  });

  it('skips .git, .gitignore matches, config excludes and symlinks that leave the root', () => {
    const outside = tempRepo({ 'evil.yaml': PRIVILEGED });
    const root = tempRepo({
      '.git/config.yaml': PRIVILEGED,
      '.gitignore': 'build/\n*.generated.yaml\n',
      'build/pod.yaml': PRIVILEGED,
      'sub/.gitignore': 'local.yaml\n',
      'sub/local.yaml': PRIVILEGED,
      'sub/pod.generated.yaml': PRIVILEGED,
      'vendor/pod.yaml': PRIVILEGED,
      '.shipwatch.yaml': 'exclude: ["vendor/**"]\n',
      'ok.yaml': HARDENED,
    });
    symlinkSync(join(outside, 'evil.yaml'), join(root, 'link.yaml'));
    const r = shipwatch(['scan', root, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.findings.filter((f) => f.ruleId === 'K8S-001')).toEqual([]);
    expect(out.notices.some((n) => /outside the scan root/.test(n.message))).toBe(true);
    expect(r.code).toBe(0);
  });

  it('exit 2 for usage errors, unknown paths and invalid configuration naming the key', () => {
    expect(shipwatch(['scan', '--format', 'xml', '.']).code).toBe(2);
    expect(shipwatch(['frobnicate']).code).toBe(2);
    expect(shipwatch(['scan', '/no/such/path']).code).toBe(2);
    const root = tempRepo({ 'pod.yaml': PRIVILEGED, '.shipwatch.yaml': 'failOn: high\nignores: []\n' });
    const r = shipwatch(['scan', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "ignores"/);
    const badType = tempRepo({ 'pod.yaml': PRIVILEGED, '.shipwatch.yaml': 'severity: {K8S-040: urgent}\n' });
    const r2 = shipwatch(['scan', badType]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/severity\.K8S-040/);
  });

  it('exit 2 when no input could be read at all', () => {
    const root = tempRepo({});
    writeFileSync(join(root, 'blob.yaml'), Buffer.from([0, 1, 2, 3, 0, 0xff]));
    const r = shipwatch(['scan', join(root, 'blob.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/binary/);
  });

  it('keeps suppressed findings, marked, from annotations, comments and config ignores', () => {
    const annotated = PRIVILEGED.replace('  namespace: tools\n', '  namespace: tools\n  annotations:\n    shipwatch.io/skip: "K8S-001"\n    shipwatch.io/skip-reason: "break-glass debug pod"\n');
    const commented = PRIVILEGED.replace('        privileged: true', '        privileged: true # shipwatch:skip=K8S-001 node debugging');
    const root = tempRepo({
      'a.yaml': annotated,
      'b.yaml': commented,
      'legacy/c.yaml': PRIVILEGED,
      'old/d.yaml': PRIVILEGED,
      '.shipwatch.yaml': 'ignore:\n  - rule: K8S-001\n    paths: ["legacy/**"]\n    reason: legacy chart\n  - rule: K8S-001\n    paths: ["old/**"]\n    reason: was accepted\n    expires: 2020-01-01\n',
    });
    const r = shipwatch(['scan', '.', '--format', 'json'], { cwd: root });
    const out = JSON.parse(r.stdout) as Output;
    const k1 = Object.fromEntries(out.findings.filter((f) => f.ruleId === 'K8S-001').map((f) => [f.location.file, f]));
    expect(k1['a.yaml'].suppression).toMatchObject({ source: 'annotation', reason: 'break-glass debug pod' });
    expect(k1['b.yaml'].suppression).toMatchObject({ source: 'comment', reason: 'node debugging' });
    expect(k1['legacy/c.yaml'].suppression).toMatchObject({ source: 'config', reason: 'legacy chart' });
    expect(k1['old/d.yaml'].suppressed).toBe(false);
    expect(out.notices.some((n) => /expired on 2020-01-01/.test(n.message))).toBe(true);
    expect(r.code).toBe(1); // old/d.yaml still fails
  });

  it('reports paths as given from the working directory, with ignore globs relative to the config file', () => {
    const root = tempRepo({
      'k8s/web.yaml': PRIVILEGED,
      'k8s/legacy/old.yaml': PRIVILEGED,
      'k8s/.shipwatch.yaml': 'ignore:\n  - rule: K8S-001\n    paths: ["legacy/**"]\n    reason: legacy manifests\n',
      'docker/Dockerfile': 'FROM alpine:3.20\n',
    });
    const out = JSON.parse(shipwatch(['scan', 'k8s', 'docker/', '--format', 'json'], { cwd: root }).stdout) as Output;
    const k1 = Object.fromEntries(out.findings.filter((f) => f.ruleId === 'K8S-001').map((f) => [f.location.file, f.suppression?.reason ?? null]));
    expect(k1).toEqual({ 'k8s/web.yaml': null, 'k8s/legacy/old.yaml': 'legacy manifests' });
    expect(out.findings.some((f) => f.location.file === 'docker/Dockerfile')).toBe(true);
  });

  it('writes SARIF to --output and prints a table grouped by file without colour when not a TTY', () => {
    const root = tempRepo({ 'pod.yaml': PRIVILEGED });
    const sarifPath = join(root, 'out.sarif');
    shipwatch(['scan', root, '--format', 'sarif', '--output', sarifPath]);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const table = shipwatch(['scan', root]);
    expect(table.stdout).toContain('pod.yaml');
    expect(table.stdout).not.toMatch(/\x1b\[/);
  });

  it('mentions Helm chart templates once instead of failing on them', () => {
    const root = tempRepo({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/values.yaml': 'replicaCount: 2\nimage:\n  repository: nginx\n',
      'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n',
      'chart/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
      '.gitlab-ci.yml': 'stages: [test]\ntest:\n  script: [make test]\n',
    });
    const out = JSON.parse(shipwatch(['scan', root, '--format', 'json']).stdout) as Output;
    expect(out.errors).toEqual([]);
    const helm = out.notices.filter((n) => /helm template/.test(n.message));
    expect(helm).toHaveLength(1);
  });
});
