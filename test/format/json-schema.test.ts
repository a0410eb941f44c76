import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { formatJson } from '../../shared/format/json.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import type { ScanResult } from '../../shared/scan/result.ts';
import { scanText } from '../helpers/scan.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/scan-output.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: main
        image: nginx:1.27
        securityContext:
          privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  annotations:
    shipwatch.io/skip: K8S-001
    shipwatch.io/skip-reason: break-glass pod, removed after the incident
spec:
  automountServiceAccountToken: false
  containers:
  - name: shell
    image: busybox:1.36
    securityContext: {privileged: true}
---
kind: [unclosed
`;

function parsedOutput(result: ScanResult): unknown {
  return JSON.parse(formatJson(result));
}

function errorsOf(output: unknown): string {
  validate(output);
  return JSON.stringify(validate.errors, null, 2);
}

describe('scan output JSON schema', () => {
  const result = scanText(manifest, { path: 'deploy/web.yaml' });

  it('accepts a real engine result with findings, a suppression and a parse error', () => {
    expect(result.findings.some((f) => f.ruleId === 'K8S-001' && !f.suppressed)).toBe(true);
    expect(result.findings.some((f) => f.suppressed)).toBe(true);
    expect(result.errors.length).toBeGreaterThan(0);
    const output = parsedOutput(result);
    expect(validate(output), errorsOf(output)).toBe(true);
  });

  it('accepts findings carrying evidence, image, vulnerability and audit blocks', () => {
    const base = result.findings[0];
    const extra: Finding[] = [
      { ...base, ruleId: 'SECRET-01', source: 'iac', resource: null, container: null, evidence: 'AKIA************MPLE' },
      {
        ...base,
        ruleId: 'CVE-2024-0001',
        source: 'image',
        location: null,
        resource: null,
        container: null,
        image: { registry: 'registry.example.com', repository: 'team/web', tag: '1.2.3', digest: `sha256:${'a'.repeat(64)}`, platform: 'linux/arm64' },
        vulnerability: { id: 'CVE-2024-0001', aliases: ['GHSA-xxxx-yyyy-zzzz'], package: 'openssl', installedVersion: '3.0.1', fixedVersion: null, ecosystem: 'Debian:12' },
      },
      {
        ...base,
        ruleId: 'AUDIT-009',
        source: 'audit',
        location: null,
        resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-1' },
        audit: {
          cluster: 'prod-eu',
          auditIDs: ['6f1e3c2a-0000-4000-8000-000000000001'],
          user: 'alice@example.com',
          sourceIPs: ['10.0.0.7'],
          verb: 'create',
          objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-1', apiVersion: 'v1' },
          count: 1,
          firstSeen: '2025-01-01T10:00:00Z',
          lastSeen: '2025-01-01T10:00:00Z',
        },
      },
    ];
    const output = parsedOutput({ ...result, findings: [...result.findings, ...extra] });
    expect(validate(output), errorsOf(output)).toBe(true);
  });

  it('rejects output that breaks the contract', () => {
    const good = parsedOutput(result) as { findings: Record<string, unknown>[]; summary: Record<string, unknown> };
    const broken = (mutate: (o: typeof good) => void) => {
      const copy = structuredClone(good);
      mutate(copy);
      return validate(copy);
    };
    expect(broken((o) => delete o.findings[0].fingerprint)).toBe(false);
    expect(broken((o) => (o.findings[0].fingerprint = 'abc'))).toBe(false);
    expect(broken((o) => (o.findings[0].severity = 'severe'))).toBe(false);
    expect(broken((o) => (o.findings[0].location = { file: 'x.yaml', line: 0 }))).toBe(false);
    expect(broken((o) => (o.findings[0].suppressed = true))).toBe(false); // suppressed without a suppression
    expect(broken((o) => (o.findings[0].image = { repository: 'web' }))).toBe(false);
    expect(broken((o) => (o.findings[0].unknownField = 1))).toBe(false);
    expect(broken((o) => delete o.summary.info)).toBe(false);
  });

  it('prints stable JSON in contract key order: compact by default, two-space indented when asked', () => {
    const text = formatJson(result);
    expect(text).toBe(formatJson(structuredClone(result)));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(formatJson(result, { pretty: true }).split('\n')[1]).toBe('  "schemaVersion": 1,');
    const output = JSON.parse(text);
    expect(Object.keys(output)).toEqual(['schemaVersion', 'findings', 'errors', 'notices', 'summary']);
    expect(Object.keys(output.findings[0])).toEqual([
      'ruleId', 'severity', 'title', 'message', 'remediation', 'fingerprint', 'source',
      'location', 'resource', 'container', 'compliance', 'suppressed', 'suppression',
    ]);
    const privileged = output.findings.find((f: Finding) => f.ruleId === 'K8S-001' && !f.suppressed);
    expect(privileged).toMatchObject({
      severity: 'critical',
      location: { file: 'deploy/web.yaml', line: 14 },
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' },
      container: 'main',
      suppression: null,
    });
    const suppressed = output.findings.find((f: Finding) => f.suppressed);
    expect(suppressed.suppression).toEqual({ source: 'annotation', reason: 'break-glass pod, removed after the incident', expires: null });
  });
});
