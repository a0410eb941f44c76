import { describe, expect, it } from 'vitest';
import { auditEvent, HUMAN, metadataOnly, podCreate, podSpec, RS_CONTROLLER, v1beta1, workloadWrite } from './events.ts';
import { only, ruleIds, runAudit } from './run.ts';

const APP = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:2.4.1';
const PAUSE = 'registry.k8s.io/pause:3.9';
const CNI = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3';

describe('AUDIT-001 privileged container', () => {
  it('fires on a Deployment whose template runs a privileged container, v1 and v1beta1', async () => {
    const event = workloadWrite({ namespace: 'shop', name: 'api', spec: podSpec([{ name: 'api', image: APP, securityContext: { privileged: true } }]) });
    for (const e of [event, v1beta1(event)]) {
      const f = only(await runAudit([e]), 'AUDIT-001');
      expect(f.severity).toBe('high');
      expect(f.resource).toMatchObject({ kind: 'Deployment', namespace: 'shop', name: 'api' });
      expect(f.container).toBe('api');
      expect(f.audit).toMatchObject({ cluster: 'prod-eu', user: HUMAN.username, verb: 'create', count: 1, mitre: ['T1611', 'T1610'] });
      expect((f.audit!.evidence as { containers: unknown[] }).containers).toEqual([{ name: 'api', image: APP, list: 'containers', privileged: true }]);
    }
  });

  it('groups the Deployment and the pods its ReplicaSet creates into one finding', async () => {
    const spec = podSpec([{ name: 'api', image: APP, securityContext: { privileged: true } }]);
    const result = await runAudit([
      workloadWrite({ namespace: 'shop', name: 'api', spec }),
      podCreate({ namespace: 'shop', ownerDeployment: 'api', spec }),
      podCreate({ namespace: 'shop', ownerDeployment: 'api', spec }),
    ]);
    const f = only(result, 'AUDIT-001');
    expect(f.audit?.count).toBe(3);
    expect(result.opened).toEqual([f.fingerprint]);
  });

  it('checks init and ephemeral containers too, and a CronJob template', async () => {
    const spec = { ...podSpec([{ image: APP }]), initContainers: [{ name: 'setup', image: 'busybox:1.36', securityContext: { privileged: true } }] };
    expect(ruleIds(await runAudit([workloadWrite({ resource: 'cronjobs', namespace: 'ops', name: 'backup', spec })]))).toContain('AUDIT-001');
    expect(ruleIds(await runAudit([podCreate({ namespace: 'ops', spec })]))).toContain('AUDIT-001');
  });

  it('does not fire for trusted images, platform activity, failed requests or unprivileged pods', async () => {
    const privileged = (image: string) => podSpec([{ image, securityContext: { privileged: true } }]);
    const none = await runAudit([
      podCreate({ namespace: 'shop', spec: privileged(CNI) }),
      podCreate({ namespace: 'kube-system', ownerDeployment: 'agent', spec: privileged(APP), user: RS_CONTROLLER }),
      podCreate({ namespace: 'shop', spec: privileged(APP), code: 403 }),
      podCreate({ namespace: 'shop', spec: podSpec([{ image: APP, securityContext: { privileged: false, runAsUser: 0 } }]) }),
    ]);
    expect(ruleIds(none)).not.toContain('AUDIT-001');
  });

  it('alerts when one of several privileged containers is untrusted (E-IMG per container)', async () => {
    const spec = podSpec([
      { name: 'cni', image: CNI, securityContext: { privileged: true } },
      { name: 'sidecar', image: 'docker.io/library/alpine:3.20', securityContext: { privileged: true } },
    ]);
    const f = only(await runAudit([podCreate({ namespace: 'shop', spec })]), 'AUDIT-001');
    expect(f.container).toBe('sidecar');
  });

  it('counts spec_unavailable instead of alerting at Metadata level', async () => {
    const event = metadataOnly(workloadWrite({ namespace: 'shop', name: 'api', spec: podSpec([{ image: APP, securityContext: { privileged: true } }]) }));
    const result = await runAudit([event]);
    expect(ruleIds(result)).not.toContain('AUDIT-001');
    expect(result.metrics['spec_unavailable.AUDIT-001']).toBe(1);
  });

  it('evaluates a patch on the stored object when the body is a JSON patch', async () => {
    const stored = workloadWrite({ verb: 'patch', namespace: 'shop', name: 'api', spec: podSpec([{ image: APP, securityContext: { privileged: true } }]) });
    const event = { ...stored, requestObject: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/privileged', value: true }], responseObject: stored.requestObject };
    expect(ruleIds(await runAudit([event]))).toContain('AUDIT-001');
    const withoutResponse = { ...event, responseObject: undefined };
    const result = await runAudit([withoutResponse]);
    expect(ruleIds(result)).not.toContain('AUDIT-001');
    expect(result.metrics['spec_unavailable.AUDIT-001']).toBe(1);
  });
});

describe('AUDIT-002 / AUDIT-003 host namespaces', () => {
  it('raises one finding per shared host namespace', async () => {
    const result = await runAudit([podCreate({ namespace: 'shop', spec: podSpec([{ image: APP }], { hostPID: true, hostIPC: true }) })]);
    const found = result.findings.filter((f) => f.ruleId === 'AUDIT-002');
    expect(found.map((f) => Object.keys(f.audit!.evidence as object).find((k) => k.startsWith('host')))).toEqual(['hostPID', 'hostIPC']);
  });

  it('hostNetwork is MEDIUM and excepted when every image is trusted', async () => {
    expect(only(await runAudit([podCreate({ namespace: 'shop', spec: podSpec([{ image: APP }], { hostNetwork: true }) })]), 'AUDIT-003').severity).toBe('medium');
    expect(ruleIds(await runAudit([podCreate({ namespace: 'shop', spec: podSpec([{ image: CNI }, { image: PAUSE }], { hostNetwork: true }) })]))).not.toContain('AUDIT-003');
    expect(ruleIds(await runAudit([podCreate({ namespace: 'shop', spec: podSpec([{ image: APP }], { hostPID: false, hostNetwork: false }) })]))).toEqual([]);
  });
});

describe('AUDIT-004 / AUDIT-005 hostPath', () => {
  const withHostPath = (...paths: string[]) =>
    podSpec([{ image: APP, volumeMounts: paths.map((_, i) => ({ name: `h${i}`, mountPath: `/host${i}`, readOnly: i === 0 })) }], {
      volumes: paths.map((path, i) => ({ name: `h${i}`, hostPath: { path, type: 'Directory' } })),
    });

  it.each(['/', '/etc/', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/var/lib/kubelet/pods', '/proc/1/root', '/home/ec2-user', '//etc//kubernetes'])('%s is sensitive', async (path) => {
    const result = await runAudit([podCreate({ namespace: 'shop', spec: withHostPath(path) })]);
    expect(ruleIds(result)).toContain('AUDIT-004');
    expect(ruleIds(result)).not.toContain('AUDIT-005');
  });

  it.each(['/var/log', '/data/cache', '/etcd-backup', '/var/run/app', '/opt'])('%s is another host path (LOW)', async (path) => {
    const result = await runAudit([podCreate({ namespace: 'shop', spec: withHostPath(path) })]);
    expect(ruleIds(result)).not.toContain('AUDIT-004');
    expect(only(result, 'AUDIT-005').severity).toBe('low');
  });

  it('a pod with both kinds raises only AUDIT-004, which lists AUDIT-005 and every path with its mounts', async () => {
    const f = only(await runAudit([podCreate({ namespace: 'shop', spec: withHostPath('/var/log', '/etc') })]), 'AUDIT-004');
    expect(f.audit?.detectionIds).toEqual(['AUDIT-004', 'AUDIT-005']);
    expect((f.audit!.evidence as { hostPaths: unknown[] }).hostPaths).toEqual([
      { volume: 'h0', path: '/var/log', type: 'Directory', mounts: [{ container: 'c0', readOnly: true }] },
      { volume: 'h1', path: '/etc', type: 'Directory', mounts: [{ container: 'c0', readOnly: false }] },
    ]);
  });
});

describe('AUDIT-006 capabilities', () => {
  it('MEDIUM for NET_ADMIN, HIGH for SYS_ADMIN or ALL, any spelling', async () => {
    const caps = (...add: string[]) => podCreate({ namespace: 'shop', spec: podSpec([{ image: APP, securityContext: { capabilities: { add, drop: ['ALL'] } } }]) });
    expect(only(await runAudit([caps('NET_ADMIN')]), 'AUDIT-006').severity).toBe('medium');
    expect(only(await runAudit([caps('cap_sys_admin')]), 'AUDIT-006').severity).toBe('high');
    expect(only(await runAudit([caps('all')]), 'AUDIT-006').severity).toBe('high');
    expect(ruleIds(await runAudit([caps('NET_BIND_SERVICE', 'CHOWN')]))).not.toContain('AUDIT-006');
  });
});

describe('AUDIT-007 untrusted image in a system namespace', () => {
  it('fires whoever the actor is, including the replicaset controller', async () => {
    const f = only(await runAudit([podCreate({ namespace: 'kube-system', ownerDeployment: 'miner', spec: podSpec([{ image: 'docker.io/xmrig/xmrig:6.21' }]), user: RS_CONTROLLER })]), 'AUDIT-007');
    expect(f.resource).toMatchObject({ kind: 'Deployment', name: 'miner', namespace: 'kube-system' });
  });

  it('covers configured platform namespaces and honours configured trusted images', async () => {
    const event = podCreate({ namespace: 'monitoring', spec: podSpec([{ image: 'quay.io/prometheus/node-exporter:v1.8.2' }]) });
    expect(ruleIds(await runAudit([event]))).not.toContain('AUDIT-007');
    expect(ruleIds(await runAudit([event], { platformNamespaces: ['monitoring'] }))).toContain('AUDIT-007');
    expect(ruleIds(await runAudit([event], { platformNamespaces: ['monitoring'], trustedImages: ['quay.io/prometheus/'] }))).not.toContain('AUDIT-007');
  });

  it('Metadata level: no finding, spec_unavailable', async () => {
    const result = await runAudit([metadataOnly(podCreate({ namespace: 'kube-system', spec: podSpec([{ image: APP }]) }))]);
    expect(ruleIds(result)).not.toContain('AUDIT-007');
    expect(result.metrics['spec_unavailable.AUDIT-007']).toBe(1);
  });
});

describe('AUDIT-008 controller service account', () => {
  it('fires when a pod in kube-system runs as a controller service account with an untrusted image', async () => {
    const spec = podSpec([{ image: APP }], { serviceAccountName: 'clusterrole-aggregation-controller' });
    expect(only(await runAudit([podCreate({ namespace: 'kube-system', spec })]), 'AUDIT-008').severity).toBe('high');
  });

  it('ignores the same name outside kube-system, trusted images and ordinary service accounts', async () => {
    const none = await runAudit([
      podCreate({ namespace: 'shop', spec: podSpec([{ image: APP }], { serviceAccountName: 'replicaset-controller' }) }),
      podCreate({ namespace: 'kube-system', spec: podSpec([{ image: PAUSE }], { serviceAccountName: 'replicaset-controller' }) }),
      podCreate({ namespace: 'kube-system', spec: podSpec([{ image: APP }], { serviceAccountName: 'my-agent' }) }),
    ]);
    expect(ruleIds(none)).not.toContain('AUDIT-008');
  });

  it('covers configured privileged service accounts', async () => {
    const event = podCreate({ namespace: 'ci', spec: podSpec([{ image: APP }], { serviceAccountName: 'deployer' }) });
    expect(ruleIds(await runAudit([event], { privilegedServiceAccounts: ['system:serviceaccount:ci:deployer'] }))).toContain('AUDIT-008');
  });
});

describe('pod-spec requests the extraction ignores', () => {
  it('pod deletes, status updates and workload scale patches are not pod specs', async () => {
    const result = await runAudit([
      auditEvent({ verb: 'delete', resource: 'pods', namespace: 'shop', name: 'api-1' }),
      auditEvent({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'shop', name: 'api-1', requestObject: { status: { phase: 'Running' } } }),
      auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', name: 'api', requestObject: { spec: { replicas: 5 } } }),
    ]);
    expect(result.findings).toEqual([]);
    expect(Object.keys(result.metrics).filter((k) => k.startsWith('spec_unavailable'))).toEqual([]);
  });
});
