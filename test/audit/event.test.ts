import { describe, expect, it } from 'vitest';
import { AuditEvent, CidrSet, isPrivateIP, isPublicIP, normaliseIP, toAuditEvent } from '../../shared/audit/event.ts';
import { evaluatedStage } from '../../shared/audit/processor.ts';
import { auditEvent, execEvent, v1beta1 } from './events.ts';

const parse = (value: unknown) => {
  const e = toAuditEvent(value);
  if (!(e instanceof AuditEvent)) throw new Error(e.rejected);
  return e;
};

describe('accepted input (§0.1)', () => {
  it('accepts v1, v1beta1 and events without apiVersion', () => {
    const e = auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: 'api-1' });
    expect(parse(e).apiVersion).toBe('audit.k8s.io/v1');
    expect(parse(v1beta1(e)).apiVersion).toBe('audit.k8s.io/v1beta1');
    const { apiVersion: _omit, ...noVersion } = e;
    expect(parse(noVersion).verb).toBe('get');
  });

  it.each([
    [null, 'not a JSON object (null)'],
    [[1, 2], 'not a JSON object (array)'],
    ['{"kind":"Event"}', 'not a JSON object (string)'],
    [{ kind: 'Pod', apiVersion: 'v1' }, 'kind "Pod"'],
    [{ kind: 'Event', apiVersion: 'v1' }, 'apiVersion "v1"'],
    [{ kind: 'Event', apiVersion: 'audit.k8s.io/v1alpha1' }, 'apiVersion "audit.k8s.io/v1alpha1"'],
    [{ verb: 'get' }, 'no kind "Event"'],
  ])('rejects %j', (value, reason) => {
    const e = toAuditEvent(value);
    expect(e).not.toBeInstanceOf(AuditEvent);
    expect((e as { rejected: string }).rejected).toContain(reason);
  });

  it('every optional field missing or of the wrong type reads as empty', () => {
    for (const raw of [{ kind: 'Event' }, { kind: 'Event', user: 'x', objectRef: 5, sourceIPs: '1.2.3.4', responseStatus: { code: '403' }, annotations: [1], impersonatedUser: null, stage: 7 }]) {
      const e = parse(raw);
      expect([e.verb, e.stage, e.resource, e.namespace, e.user.username, e.requestURI, e.userAgent]).toEqual(['', '', '', '', '', '', '']);
      expect(e.user.groups).toEqual([]);
      expect(e.sourceIPs).toEqual([]);
      expect(e.clientIP).toBeNull();
      expect(e.responseCode).toBeNull();
      expect(e.outcome).toBe('unknown');
      expect(e.notFailed).toBe(true);
      expect(e.impersonatedUser).toBeNull();
      expect(e.writtenObject).toBeNull();
      expect(Number.isNaN(e.at)).toBe(true);
    }
  });

  it('takes the time from stageTimestamp, else v1beta1 timestamp / creationTimestamp', () => {
    const e = auditEvent({ verb: 'get', resource: 'pods', time: 10 });
    expect(parse(e).time).toBe('2025-03-04T09:15:10.050Z');
    const { stageTimestamp: _s, requestReceivedTimestamp: _r, ...old } = v1beta1(e);
    expect(parse(old).time).toBe('2025-03-04T09:15:10.000Z');
    expect(parse({ kind: 'Event', metadata: { creationTimestamp: '2024-01-01T00:00:00Z' } }).time).toBe('2024-01-01T00:00:00.000Z');
  });
});

describe('outcome', () => {
  const withStatus = (code: number | undefined, decision?: string) => parse({ kind: 'Event', ...(code !== undefined ? { responseStatus: { code } } : {}), ...(decision ? { annotations: { 'authorization.k8s.io/decision': decision } } : {}) });
  it.each([
    [201, undefined, 'succeeded'],
    [101, undefined, 'succeeded'],
    [399, 'forbid', 'succeeded'],
    [403, 'allow', 'failed'],
    [404, undefined, 'failed'],
    [undefined, 'allow', 'succeeded'],
    [undefined, 'forbid', 'failed'],
    [undefined, undefined, 'unknown'],
  ])('code %s, decision %s → %s', (code, decision, outcome) => {
    expect(withStatus(code, decision).outcome).toBe(outcome);
  });
});

describe('client IP (§0.1)', () => {
  const ip = (sourceIPs: unknown) => parse({ kind: 'Event', sourceIPs }).clientIP;
  it('is the last parseable entry: the directly connected peer, not the forwarded chain', () => {
    expect(ip(['198.51.100.7', '10.0.0.5'])).toBe('10.0.0.5');
    expect(ip(['10.0.0.5', '198.51.100.7'])).toBe('198.51.100.7');
    expect(ip(['203.0.113.9', 'unknown', ''])).toBe('203.0.113.9');
    expect(ip(['::ffff:10.1.2.3'])).toBe('10.1.2.3');
    expect(ip(['[2001:db8::1]:443'])).toBe('2001:db8::1');
    expect(ip(['not-an-ip'])).toBeNull();
  });

  it.each(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.254', '127.0.0.1', '169.254.169.254', '::1', 'fe80::1', 'fd00:ec2::254', 'fc00::5'])('%s is private', (a) => {
    expect(isPrivateIP(a)).toBe(true);
    expect(isPublicIP(a)).toBe(false);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '203.0.113.9', '2001:db8::1', '2600:1f18::1'])('%s is public', (a) => {
    expect(isPublicIP(a)).toBe(true);
  });

  it('unparseable addresses are neither', () => {
    expect(isPublicIP('x')).toBe(false);
    expect(isPrivateIP('x')).toBe(false);
    expect(normaliseIP('999.1.1.1')).toBeNull();
  });

  it('CIDR sets hold IPv4 and IPv6 ranges and report invalid entries', () => {
    const set = new CidrSet(['198.51.100.0/24', '2001:db8:abcd::/48', '203.0.113.7', 'nonsense', '10.0.0.0/33']);
    expect(set.has('198.51.100.200')).toBe(true);
    expect(set.has('198.51.101.1')).toBe(false);
    expect(set.has('2001:db8:abcd:12::1')).toBe(true);
    expect(set.has('2001:db8:abce::1')).toBe(false);
    expect(set.has('203.0.113.7')).toBe(true);
    expect(set.has('::ffff:198.51.100.3')).toBe(true);
    expect(set.invalid).toEqual(['nonsense', '10.0.0.0/33']);
  });
});

describe('stages evaluated (§0.1)', () => {
  const stage = (e: Record<string, unknown>, s: string | undefined) => evaluatedStage(parse({ ...e, stage: s }));
  it('ResponseComplete or no stage; RequestReceived, Panic and ResponseStarted of ordinary requests are skipped', () => {
    const get = auditEvent({ verb: 'get', resource: 'pods' });
    expect(stage(get, 'ResponseComplete')).toBe('ResponseComplete');
    expect(stage(get, undefined)).toBe('ResponseComplete');
    for (const s of ['RequestReceived', 'Panic', 'ResponseStarted']) expect(stage(get, s)).toBeNull();
  });

  it('streaming subresources: ResponseStarted and ResponseComplete share one key', () => {
    const exec = execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'] });
    expect(stage(exec, 'ResponseStarted')).toBe('stream');
    expect(stage(exec, 'ResponseComplete')).toBe('stream');
    expect(stage(exec, 'RequestReceived')).toBeNull();
    const nodeProxy = auditEvent({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'n1' });
    expect(stage(nodeProxy, 'ResponseStarted')).toBe('stream');
  });
});
