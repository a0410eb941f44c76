import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { shipwatch, tempRepo } from '../helpers/cli.ts';
import { auditEvent, bindingWrite, execEvent, jsonLines, v1beta1, workload } from './events.ts';

type Output = {
  findings: { ruleId: string; severity: string; suppressed: boolean; source: string; audit: { cluster: string; count: number; suppressedBy: string | null } }[];
  errors: { file: string; line: number | null; message: string }[];
  notices: { message: string }[];
};

const exec = execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], auditID: 'e-1' });
const theft = execEvent({ namespace: 'shop', pod: 'api-2', command: ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'], auditID: 'e-2' });
const anonymous = bindingWrite({ cluster: true, name: 'open-door', roleRef: { name: 'view' }, subjects: [{ kind: 'Group', name: 'system:unauthenticated' }] });
const LOG = jsonLines([exec, { ...exec, stage: 'ResponseComplete' }]).trimEnd() + '\nthis line is not JSON\n' + jsonLines([{ kind: 'Pod' }, theft]);

describe('shipwatch audit (real binary)', () => {
  it('reads a JSON-lines audit log: findings, malformed lines as errors with line numbers, schema-valid JSON, exit 1', () => {
    const root = tempRepo({ 'audit.log': LOG });
    const r = shipwatch(['audit', join(root, 'audit.log'), '--format', 'json', '--cluster', 'prod-eu']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Output;
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'scan-output.schema.json'), 'utf8'));
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.findings.map((f) => [f.ruleId, f.severity, f.source, f.audit.cluster])).toEqual([
      ['AUDIT-010', 'high', 'audit', 'prod-eu'],
      ['AUDIT-009', 'medium', 'audit', 'prod-eu'],
    ]);
    expect(out.errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [3, 'not JSON'],
      [4, 'kind "Pod" is not an audit Event'],
    ]);
    expect(out.notices.map((n) => n.message)).toContain('audit events: 4 read, 3 evaluated, 1 duplicates, 0 at stages not evaluated, 1 not audit events');
  });

  it('reads a pretty-printed v1beta1 EventList from stdin; --fail-on decides the exit code', () => {
    const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1beta1', items: [v1beta1(anonymous)] }, null, 2);
    const r = shipwatch(['audit', '-', '--format', 'json'], { input: list });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Output).findings.map((f) => [f.ruleId, f.severity])).toEqual([['AUDIT-015', 'critical']]);
    expect(shipwatch(['audit', '-', '--fail-on', 'none', '--quiet'], { input: list }).code).toBe(0);
    const highOnly = jsonLines([theft]);
    expect(shipwatch(['audit', '-', '--fail-on', 'critical'], { input: highOnly }).code).toBe(0);
  });

  it('applies exceptions from --config: the finding is kept, suppressed, and does not fail the run', () => {
    const root = tempRepo({
      'audit.log': jsonLines([exec]),
      'shipwatch.yaml': 'audit:\n  exceptions:\n    - detection: AUDIT-009\n      name: shop-oncall\n      match: { namespace: shop, command: sh }\n      reason: on-call shell access\n',
    });
    const r = shipwatch(['audit', join(root, 'audit.log'), '--config', join(root, 'shipwatch.yaml'), '--format', 'json', '--fail-on', 'low']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Output).findings.map((f) => [f.ruleId, f.suppressed, f.audit.suppressedBy])).toEqual([['AUDIT-009', true, 'shop-oncall']]);
  });

  it('renders table, markdown and SARIF', () => {
    const root = tempRepo({ 'audit.log': jsonLines([theft]) });
    const table = shipwatch(['audit', join(root, 'audit.log')]);
    expect(table.stdout).toContain('cluster local');
    expect(table.stdout).toContain('AUDIT-010');
    expect(shipwatch(['audit', join(root, 'audit.log'), '--format', 'markdown']).stdout).toContain('AUDIT\\-010 Exec with a credential');
    const sarif = JSON.parse(shipwatch(['audit', join(root, 'audit.log'), '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0].results.map((x) => x.ruleId)).toEqual(['AUDIT-010']);
  });

  it('usage and input errors exit 2', () => {
    expect(shipwatch(['audit']).code).toBe(2);
    const missing = shipwatch(['audit', '/nonexistent/audit.log']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/audit.log: ENOENT');
    const root = tempRepo({ 'audit.log': jsonLines([exec]), 'bad.yaml': 'audit:\n  trustedImage: [x]\n' });
    const bad = shipwatch(['audit', join(root, 'audit.log'), '--config', join(root, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown key "audit.trustedImage"');
    expect(shipwatch(['audit', join(root, 'audit.log'), '--format', 'xml']).code).toBe(2);
  });

  it('shipwatch rules lists the audit detections', () => {
    const rules = JSON.parse(shipwatch(['rules', '--format', 'json']).stdout) as { id: string; engine: string; severity: string }[];
    expect(rules.find((r) => r.id === 'AUDIT-015')).toMatchObject({ engine: 'audit', severity: 'critical' });
  });
});

describe('auditFiles', () => {
  it('numbers lines across the read chunks of a large log', async () => {
    const { auditFiles } = await import('../../shared/cli/audit.ts');
    const filler = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ ...exec, auditID: `fill-${i}`, stage: 'ResponseStarted', verb: 'get', objectRef: { resource: 'configmaps', namespace: 'shop', name: `cm-${i}` } }));
    const lines = [...filler, 'broken {', ...filler.map((l) => l.replace('fill-', 'more-')), '', 'also broken'];
    expect(lines.join('\n').length).toBeGreaterThan(3 * 256 * 1024);
    const dir = tempRepo({ 'audit.log': lines.join('\n') + '\n' });
    const result = await auditFiles([join(dir, 'audit.log')], { config: {}, cluster: 'test' });
    expect(result.errors.map((e) => e.line)).toEqual([4001, 8003]);
  });
});

describe('shipwatch audit baselines', () => {
  it('learns from the log itself: a service account doing something new after its learning period', async () => {
    const { auditFiles } = await import('../../shared/cli/audit.ts');
    const api = workload('shop', 'api');
    const day = 24 * 3600;
    const log = jsonLines([
      auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: api, time: 0 }),
      auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings', user: api, time: 8 * day }),
      auditEvent({ verb: 'list', resource: 'secrets', user: api, time: 8 * day + 60 }),
    ]);
    const dir = tempRepo({ 'audit.log': log });
    const result = await auditFiles([join(dir, 'audit.log')], { config: {}, cluster: 'test' });
    const baseline = result.findings.filter((f) => f.ruleId.startsWith('AUDIT-BASELINE'));
    expect(baseline.map((f) => [f.ruleId, f.message])).toEqual([['AUDIT-BASELINE-001', expect.stringMatching(/list secrets cluster-wide/)]]);
  });
});
