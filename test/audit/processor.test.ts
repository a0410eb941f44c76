import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../shared/config/config.ts';
import { allDetections, type Detection, type DetectionMatch } from '../../shared/audit/detection.ts';
import { toAuditEvent, AuditEvent } from '../../shared/audit/event.ts';
import { resolveAuditSettings } from '../../shared/audit/settings.ts';
import { createAuditProcessor } from '../../shared/audit/processor.ts';
import { MemoryAuditState, type AuditState } from '../../shared/audit/state.ts';
import { ruleById } from '../../shared/rules/registry.ts';
import { auditEvent, bindingWrite, execEvent, HUMAN, podCreate, podSpec, roleWrite, workload, workloadWrite } from './events.ts';
import { only, ruleIds, runAudit } from './run.ts';

/** A detection built for these tests (not registered): one match per secrets read, keyed by actor. */
function secretReads(overrides: Partial<Detection<unknown>> = {}): Detection<unknown> {
  return {
    id: 'TEST-SECRETS',
    engine: 'audit',
    severity: 'medium',
    title: 'test: secret reads',
    description: 'test',
    remediation: 'test',
    compliance: [],
    tier: 1,
    level: 'M',
    mitre: [],
    enabledByDefault: true,
    windowSeconds: 3600,
    resources: ['secrets'],
    evaluate: (e): DetectionMatch => ({ key: [e.user.username], message: `${e.user.username} read ${e.name}`, distinctTarget: e.name }),
    ...overrides,
  };
}

const read = (name: string, time: number, user = HUMAN) => auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', name, time, user });

function processor(detections: Detection<unknown>[], audit = {}, state: AuditState = new MemoryAuditState()) {
  return createAuditProcessor({ config: { audit }, state, detections });
}

describe('grouping (§0.5)', () => {
  it('a match inside the window increments the open finding; after the window a new finding opens', async () => {
    const p = processor([secretReads()]);
    const first = await p.process('c1', [read('a', 0)]);
    expect(first.findings).toHaveLength(1);
    expect(first.opened).toEqual([first.findings[0].fingerprint]);
    expect(first.findings[0].audit).toMatchObject({ count: 1, firstSeen: '2025-03-04T09:15:00.050Z', lastSeen: '2025-03-04T09:15:00.050Z' });

    const again = await p.process('c1', [read('b', 600), read('c', 1200)]);
    expect(again.opened).toEqual([]);
    expect(again.findings).toHaveLength(1);
    expect(again.findings[0].fingerprint).toBe(first.findings[0].fingerprint);
    expect(again.findings[0].audit).toMatchObject({ count: 3, firstSeen: '2025-03-04T09:15:00.050Z', lastSeen: '2025-03-04T09:35:00.050Z' });
    expect(again.findings[0].audit?.auditIDs).toHaveLength(3);

    const later = await p.process('c1', [read('d', 3601)]);
    expect(later.opened).toEqual([later.findings[0].fingerprint]);
    expect(later.findings[0].fingerprint).not.toBe(first.findings[0].fingerprint);
    expect(later.findings[0].audit?.count).toBe(1);
  });

  it('different keys, clusters and detections are different findings', async () => {
    const p = processor([secretReads(), secretReads({ id: 'TEST-OTHER' })]);
    const r = await p.process('c1', [read('a', 0), read('a', 1, workload('shop', 'api'))]);
    expect(r.findings).toHaveLength(4);
    const other = await p.process('c2', [read('a', 2)]);
    expect(other.opened).toHaveLength(2);
  });

  it('pod-spec detections group for 6 hours', async () => {
    const spec = podSpec([{ image: 'docker.io/library/nginx:1.27', securityContext: { privileged: true } }]);
    const p = createAuditProcessor({ state: new MemoryAuditState() });
    const fp = (r: { findings: { ruleId: string; fingerprint: string }[] }) => r.findings.find((f) => f.ruleId === 'AUDIT-001')!.fingerprint;
    const first = fp(await p.process('c', [podCreate({ namespace: 'web', ownerDeployment: 'nginx', spec, time: 0 })]));
    const fiveHours = await p.process('c', [podCreate({ namespace: 'web', ownerDeployment: 'nginx', spec, time: 5 * 3600 })]);
    expect(fp(fiveHours)).toBe(first);
    expect(fiveHours.opened).toEqual([]);
    const sevenHours = await p.process('c', [podCreate({ namespace: 'web', ownerDeployment: 'nginx', spec, time: 7 * 3600 })]);
    expect(fp(sevenHours)).not.toBe(first);
  });
});

describe('threshold detections', () => {
  const burst = secretReads({ threshold: { count: 5, windowSeconds: 300 }, windowSeconds: 1800 });

  it('N-1 events: no finding; N: one finding; further events increment count instead of alerting', async () => {
    const p = processor([burst]);
    const below = await p.process('c', [0, 10, 20, 30].map((t) => read(`s${t}`, t)));
    expect(below.findings).toEqual([]);
    expect(below.metrics['below_threshold.TEST-SECRETS']).toBe(4);
    const reached = await p.process('c', [read('s40', 40)]);
    expect(reached.findings).toHaveLength(1);
    expect(reached.opened).toHaveLength(1);
    expect(reached.findings[0].audit).toMatchObject({ count: 1, threshold: { count: 5, windowSeconds: 300 } });
    const more = await p.process('c', [read('s50', 50), read('s60', 60)]);
    expect(more.opened).toEqual([]);
    expect(more.findings[0].fingerprint).toBe(reached.findings[0].fingerprint);
    expect(more.findings[0].audit?.count).toBe(3);
  });

  it('events spread wider than the counting window never reach the threshold', async () => {
    const p = processor([burst]);
    const r = await p.process('c', [0, 100, 200, 300, 400, 500, 600, 700, 800].map((t) => read(`s${t}`, t)));
    expect(r.findings).toEqual([]);
  });

  it('count and window come from audit.thresholds.<id>', async () => {
    const p = processor([burst], { thresholds: { 'TEST-SECRETS': { count: 2, windowSeconds: 60 } } });
    expect((await p.process('c', [read('a', 0)])).findings).toEqual([]);
    const r = await p.process('c', [read('b', 30)]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].audit?.threshold).toEqual({ count: 2, windowSeconds: 60 });
  });

  it('distinct targets: the same secret read again does not count twice', async () => {
    const p = processor([secretReads({ threshold: { count: 3, windowSeconds: 600, distinct: true } })]);
    expect((await p.process('c', [read('a', 0), read('a', 1), read('a', 2), read('b', 3)])).findings).toEqual([]);
    expect((await p.process('c', [read('c', 4)])).findings).toHaveLength(1);
  });
});

describe('user-defined exceptions (§0.3)', () => {
  const exec = (over: Partial<Parameters<typeof execEvent>[0]> = {}) => execEvent({ namespace: 'dev-payments', pod: 'api-7f9c-x1', command: ['sh'], ...over });

  it('the design.md example: suppressed, kept, named, and not counted by --fail-on', async () => {
    const config = parseConfig(`audit:
  exceptions:
    - detection: AUDIT-009
      match: { user: "${HUMAN.username}", namespace: "dev-*" }
      reason: "on-call debugging in dev"
`).audit;
    const result = await runAudit([exec(), exec({ namespace: 'prod-payments' })], config);
    const [suppressed, open] = [result.findings.find((f) => f.suppressed)!, result.findings.find((f) => !f.suppressed)!];
    expect(suppressed.resource?.namespace).toBe('dev-payments');
    expect(suppressed.audit?.suppressedBy).toBe('audit.exceptions[0]');
    expect(suppressed.suppression).toEqual({ source: 'config', reason: 'audit.exceptions[0]: on-call debugging in dev', expires: null });
    expect(open.resource?.namespace).toBe('prod-payments');
    expect(result.metrics.suppressed).toBe(1);
  });

  it.each([
    ['group', { group: 'oidc:platform-*' }],
    ['name prefix', { name: 'api-7f9c-*' }],
    ['resource', { resource: 'pods/exec' }],
    ['verb', { verb: ['create', 'get'] }],
    ['userAgent', { userAgent: 'kubectl/*' }],
    ['sourceIP CIDR', { sourceIP: '10.0.4.0/24' }],
    ['command', { command: 'sh' }],
  ])('matches on %s', async (_label, match) => {
    const result = await runAudit([exec()], { exceptions: [{ detection: 'AUDIT-009', match, reason: 'r' }] });
    expect(only(result, 'AUDIT-009').suppressed).toBe(true);
  });

  it('AUDIT-009 exceptions cover AUDIT-010 too (one exec allow-list), matched on the command', async () => {
    const exceptions = [{ detection: 'AUDIT-009', name: 'backup', match: { user: HUMAN.username, command: 'tar cf - /data' }, reason: 'nightly copy-out' }];
    const allowed = only(await runAudit([exec({ command: ['tar', 'cf', '-', '/data'] })], { exceptions }), 'AUDIT-010');
    expect([allowed.suppressed, allowed.audit?.suppressedBy]).toEqual([true, 'backup']);
    expect(only(await runAudit([exec({ command: ['cat', '/etc/shadow'] })], { exceptions }), 'AUDIT-010').suppressed).toBe(false);
  });

  it('every field must match; exceptions of other detections do not apply', async () => {
    const result = await runAudit([exec()], {
      exceptions: [
        { detection: 'AUDIT-009', match: { user: HUMAN.username, sourceIP: '192.168.0.0/16' }, reason: 'office only' },
        { detection: 'AUDIT-010', match: { user: HUMAN.username }, reason: 'other detection' },
      ],
    });
    expect(only(result, 'AUDIT-009').suppressed).toBe(false);
  });

  it('image matchers need every offending image to match', async () => {
    const spec = podSpec([
      { image: 'ghcr.io/acme/agent:1.2', securityContext: { privileged: true } },
      { image: 'docker.io/library/busybox:1.36', securityContext: { privileged: true } },
    ]);
    const exceptions = [{ detection: 'AUDIT-001', name: 'acme-agent', match: { image: 'ghcr.io/acme/*' }, reason: 'vetted agent' }];
    expect(only(await runAudit([podCreate({ namespace: 'ops', spec })], { exceptions }), 'AUDIT-001').suppressed).toBe(false);
    const agentOnly = podSpec([{ image: 'ghcr.io/acme/agent:1.2', securityContext: { privileged: true } }]);
    const f = only(await runAudit([podCreate({ namespace: 'ops', spec: agentOnly })], { exceptions }), 'AUDIT-001');
    expect([f.suppressed, f.audit?.suppressedBy]).toEqual([true, 'acme-agent']);
  });

  it('unknown matcher fields and empty matchers are configuration errors naming the key', () => {
    expect(() => parseConfig('audit:\n  exceptions:\n    - detection: AUDIT-009\n      match: { usr: bob }\n      reason: x\n')).toThrow(/unknown key "audit\.exceptions\.0\.match\.usr"/);
    expect(() => parseConfig('audit:\n  exceptions:\n    - detection: AUDIT-009\n      match: {}\n      reason: x\n')).toThrow(ConfigError);
  });
});

describe('merges (§0.5)', () => {
  it('AUDIT-010 absorbs AUDIT-009 for the same auditID only', async () => {
    const result = await runAudit([execEvent({ namespace: 'shop', pod: 'api-1', command: ['cat', '/etc/shadow'] }), execEvent({ namespace: 'shop', pod: 'api-2', command: ['ls'] })]);
    expect(ruleIds(result)).toEqual(['AUDIT-009', 'AUDIT-010']);
    expect(only(result, 'AUDIT-009').resource?.name).toBe('api-2');
    expect(only(result, 'AUDIT-010').audit?.detectionIds).toEqual(['AUDIT-010', 'AUDIT-009']);
  });

  it('AUDIT-018 is not raised when AUDIT-017 fires on the same object, even with AUDIT-017 disabled it still runs alone', async () => {
    const rules = [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get'] }];
    expect(ruleIds(await runAudit([roleWrite({ name: 'x', rules })]))).toEqual(['AUDIT-017']);
    expect(ruleIds(await runAudit([roleWrite({ name: 'x', rules: rules.slice(1) })]))).toEqual(['AUDIT-018']);
  });
});

describe('configuration', () => {
  it('the design.md example is valid', () => {
    const config = parseConfig(`audit:
  platformNamespaces: [kube-system, amazon-guardduty]
  trustedImages: ["registry.k8s.io/"]
  thresholds:
    AUDIT-025: { count: 20, windowSeconds: 300 }
  exceptions:
    - detection: AUDIT-009
      match: { user: "oncall@example.com", namespace: "dev-*" }
      reason: "on-call debugging in dev"
`);
    expect(createAuditProcessor({ config, state: new MemoryAuditState() }).warnings).toEqual([]);
  });

  it('disable, enable, severity and routing overrides', async () => {
    const events = [execEvent({ namespace: 'shop', pod: 'a', command: ['sh'] })];
    expect(ruleIds(await runAudit(events, { disable: ['AUDIT-009'] }))).not.toContain('AUDIT-009');
    const f = only(await runAudit(events, { severity: { 'AUDIT-009': 'critical' }, routing: { 'AUDIT-009': ['sns'] } }), 'AUDIT-009');
    expect(f.severity).toBe('critical');
    expect(f.audit?.routes).toEqual(['sns']);
    expect(only(await runAudit(events), 'AUDIT-009').audit?.routes).toEqual(['slack']);
  });

  it('routing defaults follow severity', async () => {
    const crb = bindingWrite({ cluster: true, name: 'anon', roleRef: { name: 'view' }, subjects: [{ kind: 'User', name: 'system:anonymous' }] });
    expect(only(await runAudit([crb]), 'AUDIT-015').audit?.routes).toEqual(['slack', 'sns']);
    const low = podCreate({ namespace: 'shop', spec: podSpec([{ image: 'nginx', volumeMounts: [{ name: 'l', mountPath: '/l' }] }], { volumes: [{ name: 'l', hostPath: { path: '/var/log' } }] }) });
    expect(only(await runAudit([low]), 'AUDIT-005').audit?.routes).toEqual([]);
  });

  it('Tier 3 detections are off unless enabled, and catalog detections register for `shipwatch rules`', () => {
    const meta = ruleById('AUDIT-001');
    expect(meta).toMatchObject({ engine: 'audit', severity: 'high', compliance: ['MITRE T1611', 'MITRE T1610'] });
    const ids = allDetections().map((d) => d.id);
    for (let n = 1; n <= 21; n++) expect(ids).toContain(`AUDIT-${String(n).padStart(3, '0')}`);
    const tier3 = allDetections().filter((d) => d.tier === 3 && !d.enabledByDefault);
    for (const d of tier3) {
      expect(createAuditProcessor({ state: new MemoryAuditState() }).detections).not.toContain(d);
      if (!d.isConfigured) expect(createAuditProcessor({ config: { audit: { enable: [d.id] } }, state: new MemoryAuditState() }).detections).toContain(d);
    }
  });

  it('warns about ids that are no audit detection and invalid CIDRs', () => {
    const p = createAuditProcessor({ config: { audit: { disable: ['AUDIT-999'], trustedCidrs: ['10.0.0.0/8', 'office'] } }, state: new MemoryAuditState() });
    expect(p.warnings).toEqual(['audit.trustedCidrs: "office" is not an IP address or CIDR (ignored)', 'audit.disable: no audit detection "AUDIT-999"']);
  });
});

describe('robustness', () => {
  it('duplicates (same auditID and stage) are processed once, in a batch and across batches; other auditIDs are not duplicates', async () => {
    const p = createAuditProcessor({ state: new MemoryAuditState() });
    const e = execEvent({ namespace: 'shop', pod: 'a', command: ['sh'], auditID: 'dup-1', stage: 'ResponseComplete' });
    const first = await p.process('c', [e, e]);
    expect(first.duplicates).toBe(1);
    const second = await p.process('c', [e, { ...e, auditID: 'dup-2' }]);
    expect(second.duplicates).toBe(1);
    expect(second.findings[0].audit?.count).toBe(2);
  });

  it('a duplicate delivered to another processor sharing the state is caught by the state claim', async () => {
    const state = new MemoryAuditState();
    const e = execEvent({ namespace: 'shop', pod: 'a', command: ['sh'], auditID: 'dup-3' });
    await createAuditProcessor({ state }).process('c', [e]);
    const other = await createAuditProcessor({ state }).process('c', [e]);
    expect(other.duplicates).toBe(1);
    expect(other.findings).toEqual([]);
  });

  it('an EventList with malformed items among good ones processes the good ones and reports the others by index', async () => {
    const good = execEvent({ namespace: 'shop', pod: 'a', command: ['sh'] });
    const result = await runAudit(['not an event', good, { kind: 'Pod' }, 42, null, { ...good, auditID: 'other' }]);
    expect(result.rejected).toBe(4);
    expect(result.errors.map((e) => e.index)).toEqual([0, 2, 3, 4]);
    expect(only(result, 'AUDIT-009').audit?.count).toBe(2);
  });

  it('a detection that throws is reported and the others still run', async () => {
    const broken = secretReads({ id: 'TEST-BROKEN', evaluate: () => {
      throw new Error('boom');
    } });
    const result = await processor([broken, secretReads()]).process('c', [read('a', 0)]);
    expect(result.errors).toEqual([{ index: 0, message: 'TEST-BROKEN failed on this event: boom' }]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['TEST-SECRETS']);
  });

  it('a failing state rejects the batch and releases its claims, so the redelivery counts', async () => {
    const state = new MemoryAuditState();
    let fail = true;
    const flaky: AuditState = {
      claimEvent: (...a) => state.claimEvent(...a),
      releaseEvent: (...a) => state.releaseEvent(...a),
      touchGroup: (...a) => (fail ? Promise.reject(new Error('throttled')) : state.touchGroup(...a)),
      touchOpenGroup: (...a) => state.touchOpenGroup(...a),
      addToCounter: (...a) => state.addToCounter(...a),
      resetCounter: (...a) => state.resetCounter(...a),
    };
    const e = read('a', 0);
    await expect(processor([secretReads()], {}, flaky).process('c', [e])).rejects.toThrow('throttled');
    fail = false;
    const retry = await processor([secretReads()], {}, flaky).process('c', [e]);
    expect(retry.findings).toHaveLength(1);
  });

  it('events with every optional field missing raise nothing and break nothing', async () => {
    const bare = [{ kind: 'Event' }, { kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }, { auditID: 'only-id' }, { kind: 'Event', objectRef: {}, user: {}, responseStatus: {} }];
    const result = await runAudit(bare);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.metrics.evaluated).toBe(4);
  });

  it('no detection throws on arbitrary JSON or on mangled audit events', async () => {
    const settings = resolveAuditSettings({ enable: allDetections().map((d) => d.id) });
    const ctx = { cluster: 'c', settings, options: {}, podSpec: () => null, metric: () => undefined, baselineKnown: () => false };
    const everything = createAuditProcessor({ config: { audit: { enable: allDetections().map((d) => d.id) } }, state: new MemoryAuditState() });
    const templates = [
      execEvent({ namespace: 'shop', pod: 'a', command: ['sh'] }),
      workloadWrite({ namespace: 'shop', name: 'w', spec: podSpec([{ image: 'x' }]) }),
      bindingWrite({ cluster: true, name: 'b', roleRef: { name: 'cluster-admin' }, subjects: [] }),
      roleWrite({ name: 'r', rules: [] }),
    ];
    const mangled = fc.tuple(fc.constantFrom(...templates), fc.dictionary(fc.constantFrom('user', 'objectRef', 'requestObject', 'responseObject', 'sourceIPs', 'annotations', 'responseStatus', 'requestURI', 'impersonatedUser', 'verb', 'stage'), fc.jsonValue())).map(([t, patch]) => ({ ...t, ...patch }));
    const anyEvent = fc.oneof(fc.jsonValue(), mangled, fc.dictionary(fc.string(), fc.jsonValue()).map((o) => ({ ...o, kind: 'Event' })));
    await fc.assert(
      fc.asyncProperty(fc.array(anyEvent, { maxLength: 8 }), async (events) => {
        for (const raw of events) {
          const e = toAuditEvent(raw);
          if (!(e instanceof AuditEvent)) continue;
          for (const d of allDetections()) {
            try {
              d.evaluate(e, ctx);
            } catch (error) {
              throw new Error(`${d.id} threw on ${JSON.stringify(raw)}: ${(error as Error).message}`);
            }
          }
        }
        const result = await everything.process('c', events);
        expect(result.errors.filter((x) => x.message.includes('failed on this event'))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
