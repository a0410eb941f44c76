// The threshold detections AUDIT-025, 031 and 032: N-1 events no finding, N events one finding,
// further events increment its count; configurable as audit.thresholds.<id>.count / .windowSeconds.
import { describe, expect, it } from 'vitest';
import { createAuditProcessor } from '../../shared/audit/processor.ts';
import { MemoryAuditState } from '../../shared/audit/state.ts';
import type { ShipwatchConfig } from '../../shared/config/config.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import { auditEvent, RS_CONTROLLER, v1beta1, workload } from './events.ts';
import { ruleIds, runAudit } from './run.ts';

const MALLORY = { username: 'mallory@example.com', groups: ['system:authenticated'] };
const ANONYMOUS = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const denied = (i: number, opts: { user?: Record<string, unknown>; ip?: string; time?: number } = {}) =>
  auditEvent({ verb: 'list', resource: ['pods', 'secrets', 'nodes', 'deployments'][i % 4], namespace: 'shop', user: opts.user ?? MALLORY, sourceIPs: [opts.ip ?? '10.0.3.9'], code: 403, time: opts.time ?? i });

const secretGet = (name: string, opts: { user?: Record<string, unknown>; code?: number; time?: number; namespace?: string } = {}) =>
  auditEvent({ verb: 'get', resource: 'secrets', namespace: opts.namespace ?? 'shop', name, user: opts.user ?? MALLORY, code: opts.code, time: opts.time });

const findingsOf = (result: { findings: Finding[] }, id: string) => result.findings.filter((f) => f.ruleId === id);

/** One processor across batches, as in the deployed sink. */
function processor(audit: NonNullable<ShipwatchConfig['audit']> = {}) {
  return createAuditProcessor({ config: { audit }, state: new MemoryAuditState() });
}

describe('AUDIT-025 burst of authorization failures', () => {
  it('19 failures: nothing; 20: one finding; the 21st increments its count', async () => {
    const p = processor();
    const events = Array.from({ length: 21 }, (_, i) => denied(i));
    expect(ruleIds(await p.process('prod', events.slice(0, 19)))).not.toContain('AUDIT-025');
    const at20 = findingsOf(await p.process('prod', events.slice(19, 20)), 'AUDIT-025');
    expect(at20).toHaveLength(1);
    expect(at20[0].audit?.count).toBe(1);
    expect(at20[0].severity).toBe('medium');
    const at21 = findingsOf(await p.process('prod', events.slice(20)), 'AUDIT-025');
    expect(at21).toHaveLength(1);
    expect(at21[0].fingerprint).toBe(at20[0].fingerprint);
    expect(at21[0].audit?.count).toBe(2);
  });

  it('is HIGH from a public address or when anonymous; anonymous failures count per client IP', async () => {
    const publicSource = await runAudit(Array.from({ length: 20 }, (_, i) => denied(i, { ip: '198.51.100.23' })));
    expect(findingsOf(publicSource, 'AUDIT-025')[0]?.severity).toBe('high');
    const split = await runAudit(Array.from({ length: 20 }, (_, i) => denied(i, { user: ANONYMOUS, ip: i % 2 ? '10.0.0.1' : '10.0.0.2' })));
    expect(ruleIds(split)).not.toContain('AUDIT-025');
    const oneIp = await runAudit(Array.from({ length: 20 }, (_, i) => v1beta1(denied(i, { user: ANONYMOUS, ip: '10.0.0.1' }))));
    expect(findingsOf(oneIp, 'AUDIT-025')[0]?.severity).toBe('high');
  });

  it('counts 401s and forbid decisions without a code, never the control plane or successes', async () => {
    const forbidOnly = (i: number) => {
      const e = denied(i);
      delete e.responseStatus;
      return e;
    };
    const mixed = Array.from({ length: 20 }, (_, i) => (i % 2 ? { ...denied(i), responseStatus: { code: 401 } } : forbidOnly(i)));
    expect(ruleIds(await runAudit(mixed))).toContain('AUDIT-025');
    expect(ruleIds(await runAudit(Array.from({ length: 25 }, (_, i) => denied(i, { user: RS_CONTROLLER }))))).not.toContain('AUDIT-025');
    expect(ruleIds(await runAudit(Array.from({ length: 25 }, (_, i) => ({ ...denied(i), responseStatus: { code: 404 }, annotations: {} }))))).not.toContain('AUDIT-025');
  });

  it('takes count and window from audit.thresholds.AUDIT-025; failures spread over more than the window do not add up', async () => {
    const config = { thresholds: { 'AUDIT-025': { count: 3, windowSeconds: 60 } } };
    expect(ruleIds(await runAudit([denied(0), denied(1), denied(2)], config))).toContain('AUDIT-025');
    expect(ruleIds(await runAudit([denied(0, { time: 0 }), denied(1, { time: 30 }), denied(2, { time: 90 }), denied(3, { time: 130 })], config))).not.toContain('AUDIT-025');
    // The default window is 5 minutes: 20 failures a minute apart never reach 20 inside one.
    expect(ruleIds(await runAudit(Array.from({ length: 20 }, (_, i) => denied(i, { time: i * 60 }))))).not.toContain('AUDIT-025');
  });
});

describe('AUDIT-031 secret enumeration burst', () => {
  it('9 distinct secrets: nothing; 10: one finding; the 11th increments it; repeats of one secret never count twice', async () => {
    const p = processor();
    const gets = Array.from({ length: 11 }, (_, i) => secretGet(`secret-${i}`, { time: i }));
    expect(ruleIds(await p.process('prod', [...gets.slice(0, 9), ...gets.slice(0, 9)]))).not.toContain('AUDIT-031');
    const at10 = findingsOf(await p.process('prod', [gets[9]]), 'AUDIT-031');
    expect(at10).toHaveLength(1);
    expect(at10[0].severity).toBe('medium');
    const at11 = findingsOf(await p.process('prod', [gets[10]]), 'AUDIT-031');
    expect(at11[0].fingerprint).toBe(at10[0].fingerprint);
    expect(at11[0].audit?.count).toBe(2);
    expect(ruleIds(await runAudit(Array.from({ length: 30 }, (_, i) => secretGet('same', { time: i }))))).not.toContain('AUDIT-031');
  });

  it('counts collection reads per namespace and refused reads too; ignores kube-system service accounts', async () => {
    const lists = Array.from({ length: 10 }, (_, i) => auditEvent({ verb: 'list', resource: 'secrets', namespace: `team-${i}`, user: MALLORY, code: i % 2 ? 403 : 200, time: i }));
    expect(ruleIds(await runAudit(lists))).toContain('AUDIT-031');
    const ksys = workload('kube-system', 'external-secrets');
    expect(ruleIds(await runAudit(Array.from({ length: 12 }, (_, i) => secretGet(`s-${i}`, { user: ksys, time: i }))))).not.toContain('AUDIT-031');
  });

  it('the same name in different namespaces is a different target', async () => {
    expect(ruleIds(await runAudit(Array.from({ length: 10 }, (_, i) => secretGet('db', { namespace: `ns-${i}`, time: i }))))).toContain('AUDIT-031');
  });

  it('follows audit.thresholds.AUDIT-031', async () => {
    const config = { thresholds: { 'AUDIT-031': { count: 3, windowSeconds: 10 } } };
    expect(ruleIds(await runAudit([secretGet('a', { time: 0 }), secretGet('b', { time: 1 }), secretGet('c', { time: 2 })], config))).toContain('AUDIT-031');
    expect(ruleIds(await runAudit([secretGet('a', { time: 0 }), secretGet('b', { time: 5 }), secretGet('c', { time: 11 })], config))).not.toContain('AUDIT-031');
  });
});

describe('AUDIT-032 repeated denied secret access', () => {
  it('4 refusals: nothing; 5: one finding; the 6th increments it', async () => {
    const p = processor();
    const refused = Array.from({ length: 6 }, (_, i) => secretGet('db-password', { code: 403, time: i }));
    expect(ruleIds(await p.process('prod', refused.slice(0, 4)))).not.toContain('AUDIT-032');
    const at5 = findingsOf(await p.process('prod', refused.slice(4, 5)), 'AUDIT-032');
    expect(at5).toHaveLength(1);
    const at6 = findingsOf(await p.process('prod', refused.slice(5)), 'AUDIT-032');
    expect(at6[0].fingerprint).toBe(at5[0].fingerprint);
    expect(at6[0].audit?.count).toBe(2);
  });

  it('a 404 is not a refusal; kube-system service accounts and the control plane are not counted', async () => {
    expect(ruleIds(await runAudit(Array.from({ length: 8 }, (_, i) => secretGet(`missing-${i}`, { code: 404, time: i }))))).not.toContain('AUDIT-032');
    expect(ruleIds(await runAudit(Array.from({ length: 8 }, (_, i) => secretGet('x', { code: 403, user: workload('kube-system', 'x'), time: i }))))).not.toContain('AUDIT-032');
  });

  it('follows audit.thresholds.AUDIT-032', async () => {
    const config = { thresholds: { 'AUDIT-032': { count: 2, windowSeconds: 60 } } };
    expect(ruleIds(await runAudit([secretGet('a', { code: 403, time: 0 }), secretGet('a', { code: 401, time: 1 })], config))).toContain('AUDIT-032');
  });
});
