// AUDIT-022 … AUDIT-043 (catalog §4–§8): one describe per detection, positive and negative
// fixtures, v1 and v1beta1, Metadata- and Request-level variants. Threshold detections are in
// detections-022-043-thresholds.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onlyChangesCaBundle } from '../../shared/audit/detections/audit-034-admission-configuration-changed.ts';
import { qualifiedImage } from '../../shared/audit/detections/audit-043-allow-list-violation.ts';
import { auditEvent, EKS_ADMIN, HUMAN, KUBELET, metadataOnly, podCreate, podSpec, RS_CONTROLLER, v1beta1, workload, workloadWrite } from './events.ts';
import { only, ruleIds, runAudit } from './run.ts';

const ANONYMOUS = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const CERT_CONTROLLER = { username: 'system:serviceaccount:kube-system:certificate-controller', groups: ['system:serviceaccounts', 'system:authenticated'] };
const NAMESPACE_CONTROLLER = { username: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:serviceaccounts', 'system:authenticated'] };
const PYTHON_UA = 'python-requests/2.31.0';

function csrCreate(spec: Record<string, unknown>, user: Record<string, unknown> = HUMAN) {
  return auditEvent({
    verb: 'create',
    resource: 'certificatesigningrequests',
    apiGroup: 'certificates.k8s.io',
    name: 'dana-client',
    user,
    level: 'Request',
    requestObject: { kind: 'CertificateSigningRequest', apiVersion: 'certificates.k8s.io/v1', metadata: { name: 'dana-client' }, spec: { request: 'LS0tLS1CRUdJTi...', ...spec } },
  });
}

const configMapWrite = (opts: { namespace?: string; name: string; verb?: 'create' | 'update' | 'patch' | 'delete'; data?: Record<string, string>; binaryData?: Record<string, string>; user?: Record<string, unknown>; code?: number }) =>
  auditEvent({
    verb: opts.verb ?? 'create',
    resource: 'configmaps',
    namespace: opts.namespace ?? 'shop',
    name: opts.name,
    user: opts.user,
    code: opts.code,
    level: 'RequestResponse',
    ...(opts.verb === 'delete'
      ? {}
      : { requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: opts.name, namespace: opts.namespace ?? 'shop' }, data: opts.data, binaryData: opts.binaryData } }),
  });

const serviceWrite = (spec: Record<string, unknown>, opts: { name?: string; verb?: 'create' | 'update' | 'patch' } = {}) =>
  auditEvent({
    verb: opts.verb ?? 'create',
    resource: 'services',
    namespace: 'tools',
    name: opts.name ?? 'web',
    level: 'Request',
    requestObject: { kind: 'Service', apiVersion: 'v1', metadata: { name: opts.name ?? 'web', namespace: 'tools' }, spec: { ports: [{ port: 80, targetPort: 8080 }], ...spec } },
  });

describe('AUDIT-022 client-certificate CSR created or approved', () => {
  it('fires on a CSR for the kube-apiserver-client signer (v1 and v1beta1), HIGH', async () => {
    for (const e of [csrCreate({ signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }), v1beta1(csrCreate({ signerName: 'kubernetes.io/kube-apiserver-client' }))]) {
      const f = only(await runAudit([e]), 'AUDIT-022');
      expect(f.severity).toBe('high');
      expect(f.audit?.evidence).toMatchObject({ action: 'create', signerName: 'kubernetes.io/kube-apiserver-client' });
    }
  });

  it('kubelet client certificates fire only when a non-node, non-bootstrap identity asks', async () => {
    const kubeletSigner = { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] };
    expect(ruleIds(await runAudit([csrCreate(kubeletSigner)]))).toContain('AUDIT-022');
    const bootstrap = { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] };
    expect(ruleIds(await runAudit([csrCreate(kubeletSigner, KUBELET), csrCreate(kubeletSigner, bootstrap)]))).not.toContain('AUDIT-022');
  });

  it('a legacy CSR (no signer) with "client auth" fires for a non-node actor only', async () => {
    const legacy = { usages: ['digital signature', 'key encipherment', 'client auth'] };
    expect(ruleIds(await runAudit([v1beta1(csrCreate(legacy))]))).toContain('AUDIT-022');
    expect(ruleIds(await runAudit([v1beta1(csrCreate(legacy, KUBELET))]))).not.toContain('AUDIT-022');
  });

  it('serving certificates, control-plane actors, failed requests and Metadata-level creates do not fire', async () => {
    const result = await runAudit([
      csrCreate({ signerName: 'kubernetes.io/kubelet-serving', usages: ['server auth'] }),
      csrCreate({ signerName: 'kubernetes.io/kube-apiserver-client' }, CERT_CONTROLLER),
      { ...csrCreate({ signerName: 'kubernetes.io/kube-apiserver-client' }), responseStatus: { code: 403 } },
      metadataOnly(csrCreate({ signerName: 'kubernetes.io/kube-apiserver-client' })),
    ]);
    expect(ruleIds(result, true)).not.toContain('AUDIT-022');
    expect(result.metrics['request_unavailable.AUDIT-022']).toBe(1);
  });

  it('fires on an approval by a non-control-plane identity (Metadata is enough), not by the certificate controller', async () => {
    const approval = (user: Record<string, unknown>, code?: number) =>
      auditEvent({ verb: 'update', resource: 'certificatesigningrequests', subresource: 'approval', apiGroup: 'certificates.k8s.io', name: 'node-csr-abc', user, code });
    expect(only(await runAudit([approval(HUMAN)]), 'AUDIT-022').audit?.evidence).toEqual({ action: 'approval' });
    expect(ruleIds(await runAudit([approval(CERT_CONTROLLER), approval(HUMAN, 403)]))).not.toContain('AUDIT-022');
  });
});

describe('AUDIT-023 service account created in a system namespace', () => {
  const saCreate = (namespace: string, name: string, user: Record<string, unknown> = HUMAN) => auditEvent({ verb: 'create', resource: 'serviceaccounts', namespace, name, user });

  it('fires for a new name in kube-system, kube-public or kube-node-lease (v1 and v1beta1), MEDIUM', async () => {
    for (const e of [saCreate('kube-system', 'metrics-helper'), saCreate('kube-public', 'x'), v1beta1(saCreate('kube-node-lease', 'lease-sync'))]) {
      expect(only(await runAudit([e]), 'AUDIT-023').severity).toBe('medium');
    }
  });

  it('reads the name from the request body when objectRef has none (older API servers)', async () => {
    const e = auditEvent({ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', level: 'Request', requestObject: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'default' } } });
    expect(ruleIds(await runAudit([e]))).not.toContain('AUDIT-023');
    const named = auditEvent({ verb: 'create', resource: 'serviceaccounts', namespace: 'kube-system', level: 'Request', requestObject: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sneaky' } } });
    expect(only(await runAudit([named]), 'AUDIT-023').resource?.name).toBe('sneaky');
  });

  it('does not fire for built-in names, control-plane actors, other namespaces or token requests', async () => {
    const result = await runAudit([
      saCreate('kube-system', 'replicaset-controller'),
      saCreate('kube-system', 'default'),
      saCreate('kube-system', 'metrics-helper', RS_CONTROLLER),
      saCreate('shop', 'api'),
      auditEvent({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'kube-system', name: 'metrics-helper' }),
    ]);
    expect(ruleIds(result)).not.toContain('AUDIT-023');
  });
});

describe('AUDIT-024 anonymous request allowed', () => {
  const anon = (verb: string, uri: string, opts: { ip?: string; code?: number; resource?: string } = {}) =>
    auditEvent({ verb, resource: opts.resource ?? 'pods', namespace: 'default', user: ANONYMOUS, requestURI: uri, sourceIPs: [opts.ip ?? '203.0.113.9'], code: opts.code ?? 200 });

  it('is HIGH for an allowed read and CRITICAL for an allowed write', async () => {
    expect(only(await runAudit([anon('list', '/api/v1/namespaces/default/pods')]), 'AUDIT-024').severity).toBe('high');
    expect(only(await runAudit([anon('create', '/api/v1/namespaces/default/pods', { code: 201 })]), 'AUDIT-024').severity).toBe('critical');
    expect(ruleIds(await runAudit([v1beta1(anon('get', '/api/v1/namespaces/default/secrets/x', { resource: 'secrets' }))]))).toContain('AUDIT-024');
  });

  it('also fires for the system:unauthenticated group', async () => {
    const e = { ...anon('list', '/api/v1/pods'), user: { username: 'some-proxy', groups: ['system:unauthenticated'] } };
    expect(ruleIds(await runAudit([e]))).toContain('AUDIT-024');
  });

  it('ignores health and public-discovery paths as prefixes, loopback clients, refusals and unknown outcomes', async () => {
    const unknown = anon('list', '/api/v1/pods');
    delete unknown.responseStatus;
    delete unknown.annotations;
    const result = await runAudit([
      anon('get', '/healthz?verbose=1'),
      anon('get', '/livez/ping'),
      anon('get', '/readyz/etcd'),
      anon('get', '/version?timeout=32s'),
      anon('get', '/.well-known/openid-configuration'),
      anon('get', '/openid/v1/jwks'),
      anon('list', '/api/v1/pods', { ip: '127.0.0.1' }),
      anon('list', '/api/v1/pods', { code: 403 }),
      unknown,
    ]);
    expect(ruleIds(result)).not.toContain('AUDIT-024');
  });
});

describe('AUDIT-026 in-cluster identity used from an external IP', () => {
  const from = (sourceIPs: string[], user: Record<string, unknown> = workload('shop', 'api'), code?: number) => auditEvent({ verb: 'list', resource: 'secrets', namespace: 'shop', user, sourceIPs, code });

  it('fires for service-account, node and eks:* identities from a public peer, refused requests included', async () => {
    for (const e of [from(['198.51.100.7']), from(['198.51.100.7'], KUBELET), from(['198.51.100.7'], workload('shop', 'api'), 403), v1beta1(from(['10.0.0.5', '198.51.100.7']))]) {
      expect(only(await runAudit([e]), 'AUDIT-026').severity).toBe('high');
    }
  });

  it('trusts only the last parseable sourceIPs entry (a forged X-Forwarded-For first entry does not count)', async () => {
    expect(ruleIds(await runAudit([from(['198.51.100.7', '10.0.0.5']), from(['198.51.100.7', 'garbage', '10.0.0.5'])]))).not.toContain('AUDIT-026');
  });

  it('skips humans, trusted CIDRs and the EKS-owned manager role', async () => {
    const eksManager = (arn: string) => ({ username: 'eks:node-manager', groups: ['system:authenticated'], extra: { arn: [arn] } });
    const result = await runAudit(
      [
        from(['198.51.100.7'], HUMAN),
        from(['192.0.2.44']),
        from(['198.51.100.8'], eksManager('arn:aws:sts::123456789012:assumed-role/AWSWesleyClusterManagerLambda-NodeManagerRole-1A2B3C/AWSWesleyClusterManagerLambda')),
      ],
      { trustedCidrs: ['192.0.2.0/24'] },
    );
    expect(ruleIds(result)).not.toContain('AUDIT-026');
    const impostor = await runAudit([from(['198.51.100.8'], eksManager('arn:aws:sts::123456789012:assumed-role/Attacker/x'))]);
    expect(ruleIds(impostor)).toContain('AUDIT-026');
  });
});

describe('AUDIT-027 threat-listed or Tor IP', () => {
  const e = auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: 'api-1', sourceIPs: ['185.220.101.33', '10.0.0.5'] });

  it('does nothing until a threat list is configured', async () => {
    expect(ruleIds(await runAudit([e]))).not.toContain('AUDIT-027');
  });

  it('fires when any sourceIPs entry is listed (v1 and v1beta1)', async () => {
    for (const event of [e, v1beta1(e)]) {
      const f = only(await runAudit([event], { threatIps: ['185.220.101.0/24'] }), 'AUDIT-027');
      expect(f.audit?.evidence).toMatchObject({ listedIPs: ['185.220.101.33'] });
    }
    expect(ruleIds(await runAudit([auditEvent({ verb: 'get', resource: 'pods', sourceIPs: ['10.0.0.5'] })], { threatIps: ['185.220.101.0/24'] }))).not.toContain('AUDIT-027');
  });
});

describe('AUDIT-028 permission self-enumeration', () => {
  const review = (user: Record<string, unknown>, userAgent?: string, resource = 'selfsubjectrulesreviews') =>
    auditEvent({ verb: 'create', resource, apiGroup: 'authorization.k8s.io', user, userAgent });

  it('fires for a workload, a node, or an unusual client (LOW)', async () => {
    for (const e of [review(workload('shop', 'api')), review(KUBELET), review(HUMAN, PYTHON_UA, 'selfsubjectaccessreviews'), v1beta1(review(HUMAN, 'curl/8.5.0'))]) {
      expect(only(await runAudit([e]), 'AUDIT-028').severity).toBe('low');
    }
  });

  it('does not fire for kubectl or a default client-go build used by a human', async () => {
    expect(ruleIds(await runAudit([review(HUMAN), review(HUMAN, 'my-tool/v0.0.0 (linux/amd64) kubernetes/$Format')]))).not.toContain('AUDIT-028');
  });
});

describe('AUDIT-029 secrets listed cluster-wide or in kube-system', () => {
  const list = (namespace: string | undefined, user: Record<string, unknown> = HUMAN, verb = 'list') => auditEvent({ verb, resource: 'secrets', namespace, user });

  it('fires for cluster-wide and kube-system list/watch (HIGH)', async () => {
    for (const e of [list(undefined), list('kube-system'), list(undefined, HUMAN, 'watch'), v1beta1(list('kube-system', workload('shop', 'api')))]) {
      expect(only(await runAudit([e]), 'AUDIT-029').severity).toBe('high');
    }
  });

  it('ignores other namespaces, named reads, kube-state-metrics, the control plane and refusals', async () => {
    const ksm = { username: 'system:serviceaccount:kube-system:kube-state-metrics', groups: ['system:serviceaccounts'] };
    const result = await runAudit([list('shop'), auditEvent({ verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'x' }), list(undefined, ksm), list(undefined, RS_CONTROLLER), { ...list(undefined), responseStatus: { code: 403 } }]);
    expect(ruleIds(result)).not.toContain('AUDIT-029');
  });

  it('honours configured secret listers', async () => {
    expect(ruleIds(await runAudit([list(undefined, workload('backup', 'velero'))], { secretListers: ['system:serviceaccount:backup:velero'] }))).not.toContain('AUDIT-029');
  });
});

describe('AUDIT-030 secret read by an unexpected identity or scripted client', () => {
  const read = (opts: { namespace: string; user?: Record<string, unknown>; userAgent?: string; verb?: string; code?: number }) =>
    auditEvent({ verb: opts.verb ?? 'get', resource: 'secrets', namespace: opts.namespace, name: opts.verb === 'list' ? undefined : 'db-password', user: opts.user, userAgent: opts.userAgent, code: opts.code });

  it('fires for a service account reading another namespace, a scripted client, a node listing secrets', async () => {
    for (const e of [
      read({ namespace: 'payments', user: workload('shop', 'api') }),
      read({ namespace: 'shop', userAgent: 'curl/8.5.0' }),
      read({ namespace: 'shop', userAgent: 'Go-http-client/1.1' }),
      read({ namespace: 'shop', userAgent: 'Mozilla/5.0 (X11; Kali Linux)' }),
      read({ namespace: 'shop', user: KUBELET, verb: 'list' }),
      v1beta1(read({ namespace: 'payments', user: workload('shop', 'api') })),
    ]) {
      expect(only(await runAudit([e]), 'AUDIT-030').severity).toBe('medium');
    }
  });

  it('never fires for a service account in its own namespace, kubectl users, kubelet gets, allow-listed pairs or unconfirmed outcomes', async () => {
    const noOutcome = read({ namespace: 'payments', user: workload('shop', 'api') });
    delete noOutcome.responseStatus;
    delete noOutcome.annotations;
    const result = await runAudit(
      [
        read({ namespace: 'shop', user: workload('shop', 'api') }),
        read({ namespace: 'shop' }),
        read({ namespace: 'shop', user: KUBELET }),
        read({ namespace: 'payments', user: workload('ops', 'reporter') }),
        read({ namespace: 'payments', user: workload('shop', 'api'), code: 403 }),
        noOutcome,
      ],
      { crossNamespaceSecretReaders: [{ user: 'system:serviceaccount:ops:*', namespace: 'payments' }] },
    );
    expect(ruleIds(result)).not.toContain('AUDIT-030');
  });
});

describe('AUDIT-033 ConfigMap carrying credential-like data', () => {
  it('fires (LOW, on by default) on credential keys, values and PEM keys in binaryData, without repeating the values', async () => {
    const pem = Buffer.from('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n').toString('base64');
    for (const e of [
      configMapWrite({ name: 'app', data: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', region: 'eu-west-1' } }),
      configMapWrite({ name: 'app', verb: 'update', data: { 'application.properties': 'db.user=app\ndb.password=hunter2hunter2' } }),
      configMapWrite({ name: 'keys', binaryData: { deploy: pem } }),
      v1beta1(configMapWrite({ name: 'app', data: { 'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } })),
    ]) {
      const f = only(await runAudit([e]), 'AUDIT-033');
      expect(f.severity).toBe('low');
      expect(JSON.stringify(f)).not.toMatch(/hunter2|AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|b3BlbnNzaC1rZXktdjEAAAAA/);
    }
  });

  it('does not fire on ordinary data, at Metadata level, on failure or when disabled', async () => {
    const creds = configMapWrite({ name: 'app', data: { password: 'x' } });
    expect(ruleIds(await runAudit([configMapWrite({ name: 'app', data: { LOG_LEVEL: 'debug' } }), metadataOnly(creds), { ...creds, responseStatus: { code: 422 } }]))).not.toContain('AUDIT-033');
    expect(ruleIds(await runAudit([creds], { disable: ['AUDIT-033'] }))).not.toContain('AUDIT-033');
  });
});

describe('AUDIT-034 admission webhook / policy configuration changed', () => {
  const webhookBody = { kind: 'ValidatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', metadata: { name: 'policy' }, webhooks: [{ name: 'check.example.com', clientConfig: { url: 'https://198.51.100.9/validate' }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], failurePolicy: 'Ignore', sideEffects: 'None', admissionReviewVersions: ['v1'] }] };
  const write = (verb: string, requestObject?: unknown, user: Record<string, unknown> = HUMAN, resource = 'validatingwebhookconfigurations') =>
    auditEvent({ verb, resource, apiGroup: 'admissionregistration.k8s.io', name: 'policy', user, level: requestObject === undefined ? 'Metadata' : 'Request', requestObject });

  it('fires HIGH on create/update/patch/delete with webhook targets in the evidence at Request level', async () => {
    const f = only(await runAudit([write('create', webhookBody)]), 'AUDIT-034');
    expect(f.severity).toBe('high');
    expect(f.audit?.evidence).toMatchObject({ caBundleOnly: false, webhooks: [{ name: 'check.example.com', url: 'https://198.51.100.9/validate', failurePolicy: 'Ignore' }] });
    for (const e of [write('delete'), metadataOnly(write('update', webhookBody)), v1beta1(write('patch', { webhooks: [{ name: 'check.example.com', failurePolicy: 'Ignore' }] })), write('create', undefined, HUMAN, 'validatingadmissionpolicybindings')]) {
      expect(only(await runAudit([e]), 'AUDIT-034').severity).toBe('high');
    }
  });

  it('downgrades a caBundle-only patch to LOW (merge or JSON patch)', async () => {
    const merge = { webhooks: [{ name: 'check.example.com', clientConfig: { caBundle: 'LS0tLS1CRUdJTiBDRVJU' } }] };
    const json = [{ op: 'replace', path: '/webhooks/0/clientConfig/caBundle', value: 'LS0tLS1CRUdJTiBDRVJU' }];
    for (const patch of [merge, json]) expect(only(await runAudit([write('patch', patch)]), 'AUDIT-034').severity).toBe('low');
    expect(onlyChangesCaBundle({ webhooks: [{ name: 'x', clientConfig: { caBundle: 'a', url: 'https://evil' } }] })).toBe(false);
    expect(onlyChangesCaBundle({ metadata: { resourceVersion: '7' } })).toBe(false);
  });

  it('ignores the control plane, configured operators and failed writes', async () => {
    const injector = workload('cert-manager', 'cert-manager-cainjector');
    const result = await runAudit([write('update', webhookBody, RS_CONTROLLER), write('update', webhookBody, injector), { ...write('delete'), responseStatus: { code: 403 } }], { operatorIdentities: [injector.username] });
    expect(ruleIds(result)).not.toContain('AUDIT-034');
  });
});

describe('AUDIT-035 EKS aws-auth identity mapping changed', () => {
  const mapRoles = '- rolearn: arn:aws:iam::123456789012:role/eks-nodes\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n- rolearn: arn:aws:iam::123456789012:role/contractor\n  username: contractor\n  groups:\n    - system:masters\n';
  const awsAuth = (verb: 'update' | 'patch' | 'delete', user: Record<string, unknown> = EKS_ADMIN) =>
    auditEvent({
      verb,
      resource: 'configmaps',
      namespace: 'kube-system',
      name: 'aws-auth',
      user,
      level: 'RequestResponse',
      ...(verb === 'delete' ? {} : { requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles } } }),
    });

  it('fires HIGH and lists the mappings, pointing out system:masters', async () => {
    const f = only(await runAudit([awsAuth('update')]), 'AUDIT-035');
    expect(f.severity).toBe('high');
    expect(f.audit?.evidence).toMatchObject({ systemMasters: ['arn:aws:iam::123456789012:role/contractor'], mapRoles: [{ arn: 'arn:aws:iam::123456789012:role/eks-nodes' }, { username: 'contractor', groups: ['system:masters'] }] });
    expect(f.message).toContain('system:masters');
  });

  it('fires at Metadata level and on delete, for any actor but the KMS storage migrator', async () => {
    for (const e of [metadataOnly(awsAuth('patch')), awsAuth('delete'), v1beta1(awsAuth('update', HUMAN))]) expect(ruleIds(await runAudit([e]))).toContain('AUDIT-035');
    const migrator = { username: 'eks:kms-storage-migrator', groups: ['system:authenticated'] };
    expect(ruleIds(await runAudit([awsAuth('update', migrator), configMapWrite({ namespace: 'kube-system', name: 'other', verb: 'update', data: { a: 'b' } })]))).not.toContain('AUDIT-035');
  });
});

describe('AUDIT-036 cluster DNS configuration changed', () => {
  const dns = (name: string, verb: 'update' | 'patch' | 'delete' | 'create', user: Record<string, unknown> = HUMAN) => auditEvent({ verb, resource: 'configmaps', namespace: 'kube-system', name, user });

  it('fires MEDIUM on update/patch/delete of coredns, coredns-custom and kube-dns', async () => {
    for (const e of [dns('coredns', 'patch'), dns('coredns-custom', 'update'), v1beta1(dns('kube-dns', 'delete'))]) expect(only(await runAudit([e]), 'AUDIT-036').severity).toBe('medium');
  });

  it('ignores creates, the EKS add-on manager (control plane) and CoreDNS itself', async () => {
    const addonManager = { username: 'eks:addon-manager', groups: ['system:authenticated'] };
    const coredns = { username: 'system:serviceaccount:kube-system:coredns', groups: ['system:serviceaccounts'] };
    expect(ruleIds(await runAudit([dns('coredns', 'create'), dns('coredns', 'update', addonManager), dns('coredns', 'update', coredns), dns('app-config', 'update')]))).not.toContain('AUDIT-036');
  });
});

describe('AUDIT-037 CronJob created or modified', () => {
  it('fires LOW on create/update/patch (Metadata is enough), including by a human in kube-system', async () => {
    const cron = workloadWrite({ resource: 'cronjobs', namespace: 'shop', name: 'cleanup', spec: podSpec([{ image: 'busybox:1.36' }]) });
    for (const e of [cron, metadataOnly(cron), v1beta1({ ...cron, verb: 'patch' }), workloadWrite({ resource: 'cronjobs', namespace: 'kube-system', name: 'x', spec: podSpec([{ image: 'busybox' }]) })]) {
      expect(only(await runAudit([e]), 'AUDIT-037').severity).toBe('low');
    }
  });

  it('ignores the status subresource, platform activity and deletes', async () => {
    const platform = workloadWrite({ resource: 'cronjobs', namespace: 'kube-system', name: 'etcd-defrag', spec: podSpec([{ image: 'registry.k8s.io/etcd:3.5' }]), user: RS_CONTROLLER });
    const result = await runAudit([auditEvent({ verb: 'update', resource: 'cronjobs', subresource: 'status', apiGroup: 'batch', namespace: 'shop', name: 'cleanup' }), platform, auditEvent({ verb: 'delete', resource: 'cronjobs', apiGroup: 'batch', namespace: 'shop', name: 'cleanup' })]);
    expect(ruleIds(result)).not.toContain('AUDIT-037');
  });
});

describe('AUDIT-038 DaemonSet created by a non-platform actor', () => {
  const ds = (namespace: string, user: Record<string, unknown> = HUMAN) => workloadWrite({ resource: 'daemonsets', namespace, name: 'node-agent', spec: podSpec([{ image: 'ghcr.io/example/agent:1' }]), user });

  it('is LOW in an application namespace and MEDIUM in a platform namespace', async () => {
    expect(only(await runAudit([metadataOnly(ds('monitoring'))]), 'AUDIT-038').severity).toBe('low');
    expect(only(await runAudit([v1beta1(ds('kube-system'))]), 'AUDIT-038').severity).toBe('medium');
    expect(only(await runAudit([ds('security')], { platformNamespaces: ['security'] }), 'AUDIT-038').severity).toBe('medium');
  });

  it('ignores platform activity and updates', async () => {
    expect(ruleIds(await runAudit([ds('kube-system', RS_CONTROLLER), { ...ds('monitoring'), verb: 'update' }]))).not.toContain('AUDIT-038');
  });
});

describe('AUDIT-039 service exposed outside the cluster network', () => {
  it('NodePort is MEDIUM; externalIPs and a NodePort/LoadBalancer admin UI are HIGH', async () => {
    expect(only(await runAudit([serviceWrite({ type: 'NodePort' })]), 'AUDIT-039').severity).toBe('medium');
    expect(only(await runAudit([serviceWrite({ type: 'ClusterIP', externalIPs: ['23.185.0.4'] })]), 'AUDIT-039').severity).toBe('high');
    const dashboard = only(await runAudit([v1beta1(serviceWrite({ type: 'LoadBalancer', selector: { 'k8s-app': 'kubernetes-dashboard' } }, { name: 'kubernetes-dashboard' }))]), 'AUDIT-039');
    expect(dashboard.severity).toBe('high');
    expect(dashboard.audit?.evidence).toMatchObject({ adminUiSelector: 'k8s-app=kubernetes-dashboard' });
    expect(only(await runAudit([serviceWrite({ type: 'NodePort', selector: { app: 'grafana' } })], { adminUiSelectors: ['app=grafana'] }), 'AUDIT-039').severity).toBe('high');
  });

  it('a patch is judged on the stored object when RequestResponse has it', async () => {
    const patch = auditEvent({ verb: 'patch', resource: 'services', namespace: 'tools', name: 'web', level: 'RequestResponse', requestObject: { spec: { type: 'NodePort' } }, responseObject: { kind: 'Service', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 31080 }] } } });
    expect(only(await runAudit([patch]), 'AUDIT-039').audit?.evidence).toMatchObject({ type: 'NodePort', ports: [{ port: 80, nodePort: 31080 }] });
  });

  it('ignores ClusterIP, an ordinary LoadBalancer, Metadata-level writes and exceptions by namespace', async () => {
    expect(ruleIds(await runAudit([serviceWrite({ type: 'ClusterIP' }), serviceWrite({ type: 'LoadBalancer', selector: { app: 'web' } }), metadataOnly(serviceWrite({ type: 'NodePort' }))]))).not.toContain('AUDIT-039');
    const excepted = await runAudit([serviceWrite({ type: 'NodePort' })], { exceptions: [{ detection: 'AUDIT-039', match: { namespace: 'tools' }, reason: 'tools are reached through node ports on purpose' }] });
    expect(ruleIds(excepted)).not.toContain('AUDIT-039');
    expect(only(excepted, 'AUDIT-039').suppressed).toBe(true);
  });
});

describe('AUDIT-040 ingress created without TLS', () => {
  const ingress = (spec: Record<string, unknown>, user: Record<string, unknown> = HUMAN, namespace = 'shop') =>
    auditEvent({ verb: 'create', resource: 'ingresses', apiGroup: 'networking.k8s.io', namespace, name: 'web', user, level: 'Request', requestObject: { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: { name: 'web' }, spec } });
  const rules = { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] };

  it('fires LOW (on by default) without spec.tls or with an empty one', async () => {
    for (const e of [ingress(rules), v1beta1(ingress({ ...rules, tls: [] }))]) expect(only(await runAudit([e]), 'AUDIT-040').severity).toBe('low');
  });

  it('ignores TLS ingresses, Metadata-level creates, platform activity and a disabled detection', async () => {
    expect(ruleIds(await runAudit([ingress({ ...rules, tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }] }), metadataOnly(ingress(rules)), ingress(rules, RS_CONTROLLER, 'kube-system')]))).not.toContain('AUDIT-040');
    expect(ruleIds(await runAudit([ingress(rules)], { disable: ['AUDIT-040'] }))).not.toContain('AUDIT-040');
  });
});

describe('AUDIT-041 Kubernetes Events deleted', () => {
  it('fires MEDIUM for core and events.k8s.io deletes and deletecollection', async () => {
    for (const e of [auditEvent({ verb: 'delete', resource: 'events', namespace: 'shop', name: 'api-1.17a' }), v1beta1(auditEvent({ verb: 'deletecollection', resource: 'events', apiGroup: 'events.k8s.io', namespace: 'shop' }))]) {
      expect(only(await runAudit([e]), 'AUDIT-041').severity).toBe('medium');
    }
  });

  it('ignores the namespace controller cascade and failed deletes', async () => {
    expect(ruleIds(await runAudit([auditEvent({ verb: 'deletecollection', resource: 'events', namespace: 'old', user: NAMESPACE_CONTROLLER }), auditEvent({ verb: 'delete', resource: 'events', namespace: 'shop', name: 'x', code: 403 })]))).not.toContain('AUDIT-041');
  });
});

describe('AUDIT-042 security tooling removed or disabled', () => {
  const del = (resource: string, namespace: string | undefined, name: string, user: Record<string, unknown> = HUMAN) => auditEvent({ verb: 'delete', resource, namespace, name, user, apiGroup: resource === 'namespaces' || resource === 'serviceaccounts' ? '' : 'apps' });

  it('fires HIGH when a security tool is deleted (Metadata is enough)', async () => {
    for (const e of [del('daemonsets', 'falco', 'falco'), del('namespaces', undefined, 'amazon-guardduty'), del('deployments', 'monitoring', 'datadog-cluster-agent'), v1beta1(del('serviceaccounts', 'security', 'falcon-sensor')), del('validatingwebhookconfigurations', undefined, 'shipwatch-admission')]) {
      expect(only(await runAudit([e]), 'AUDIT-042').severity).toBe('high');
    }
  });

  it('fires when such a workload is scaled to zero or pinned to a nodeSelector no node has (Request level)', async () => {
    const scale = auditEvent({ verb: 'patch', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'monitoring', name: 'datadog-cluster-agent', level: 'Request', requestObject: { spec: { replicas: 0 } } });
    const zero = workloadWrite({ verb: 'update', namespace: 'monitoring', name: 'sysdig-agent', spec: podSpec([{ image: 'quay.io/sysdig/agent' }]) });
    (zero.requestObject as { spec: { replicas: number } }).spec.replicas = 0;
    const pinned = auditEvent({ verb: 'patch', resource: 'daemonsets', apiGroup: 'apps', namespace: 'falco', name: 'falco', level: 'Request', requestObject: { spec: { template: { spec: { nodeSelector: { 'non-existing': 'true' } } } } } });
    for (const e of [scale, zero, pinned]) expect(ruleIds(await runAudit([e]))).toContain('AUDIT-042');
    expect(only(await runAudit([pinned]), 'AUDIT-042').audit?.evidence).toEqual({ action: 'node-selector', nodeSelectorKeys: ['non-existing'] });
  });

  it('ignores other workloads, well-known or configured node labels, Metadata-level updates and the control plane', async () => {
    const selector = (key: string) => auditEvent({ verb: 'patch', resource: 'daemonsets', apiGroup: 'apps', namespace: 'falco', name: 'falco', level: 'Request', requestObject: { spec: { template: { spec: { nodeSelector: { [key]: 'x' } } } } } });
    const result = await runAudit(
      [del('deployments', 'shop', 'web'), selector('kubernetes.io/os'), selector('example.com/pool'), metadataOnly(selector('non-existing')), del('daemonsets', 'falco', 'falco', { username: 'system:serviceaccount:kube-system:daemon-set-controller', groups: [] })],
      { options: { 'AUDIT-042': { nodeLabelKeys: ['example.com/'] } } },
    );
    expect(ruleIds(result)).not.toContain('AUDIT-042');
    expect(result.metrics['request_unavailable.AUDIT-042']).toBe(1);
  });

  it('rejects unknown options with the key named', async () => {
    await expect(runAudit([], { options: { 'AUDIT-042': { labels: [] } } })).rejects.toThrow(/audit\.options\.AUDIT-042/);
  });
});

describe('AUDIT-043 allow-list policy violation', () => {
  const pod = podCreate({ namespace: 'shop', spec: podSpec([{ image: 'nginx:1.27' }, { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:4' }]) });

  it('is off until an allow-list is configured', async () => {
    expect(ruleIds(await runAudit([pod, auditEvent({ verb: 'create', resource: 'namespaces', name: 'miner' })]))).not.toContain('AUDIT-043');
  });

  it('users: an actor outside the list fires; control-plane identities are always allowed', async () => {
    const config = { allowLists: { users: ['dana@example.com', 'system:serviceaccount:shop:*'] } };
    expect(only(await runAudit([auditEvent({ verb: 'get', resource: 'pods', user: { username: 'mallory@example.com', groups: [] } })], config), 'AUDIT-043').severity).toBe('medium');
    expect(ruleIds(await runAudit([auditEvent({ verb: 'get', resource: 'pods' }), auditEvent({ verb: 'get', resource: 'pods', user: workload('shop', 'api') }), auditEvent({ verb: 'list', resource: 'pods', user: RS_CONTROLLER })], config))).not.toContain('AUDIT-043');
  });

  it('namespaces and nodes: creations outside the lists fire (v1beta1 too)', async () => {
    const config = { allowLists: { namespaces: ['shop', 'team-*'], nodes: ['ip-10-0-*'] } };
    const result = await runAudit(
      [auditEvent({ verb: 'create', resource: 'namespaces', name: 'miner' }), auditEvent({ verb: 'create', resource: 'namespaces', name: 'team-a' }), v1beta1(auditEvent({ verb: 'create', resource: 'nodes', name: 'rogue-node', user: KUBELET })), auditEvent({ verb: 'create', resource: 'nodes', name: 'ip-10-0-1-2.ec2.internal', user: KUBELET })],
      config,
    );
    expect(result.findings.filter((f) => f.ruleId === 'AUDIT-043').map((f) => f.audit?.groupKey).sort()).toEqual(['["namespace","miner"]', '["node","rogue-node"]']);
  });

  it('registries: images outside the allowed registries fire, Docker Hub short names included', async () => {
    const f = only(await runAudit([pod], { allowLists: { registries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/'] } }), 'AUDIT-043');
    expect(f.audit?.evidence).toEqual({ check: 'registries', images: ['nginx:1.27'] });
    expect(ruleIds(await runAudit([pod], { allowLists: { registries: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/', 'docker.io/library/'] } }))).not.toContain('AUDIT-043');
    expect(qualifiedImage('bitnami/redis:7')).toBe('docker.io/bitnami/redis:7');
    expect(qualifiedImage('localhost:5000/x')).toBe('localhost:5000/x');
  });
});

describe('detections 022-043 on arbitrary input', () => {
  const resources = ['certificatesigningrequests', 'serviceaccounts', 'secrets', 'configmaps', 'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'services', 'ingresses', 'events', 'daemonsets', 'deployments', 'cronjobs', 'namespaces', 'nodes', 'selfsubjectrulesreviews'];
  it('never throw, whatever the bodies, users and addresses look like', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            verb: fc.constantFrom('create', 'update', 'patch', 'delete', 'get', 'list', 'watch', 'deletecollection'),
            objectRef: fc.record({ resource: fc.constantFrom(...resources), subresource: fc.constantFrom('', 'approval', 'scale', 'status', 'token'), namespace: fc.constantFrom('', 'kube-system', 'shop', 'falco'), name: fc.constantFrom('', 'aws-auth', 'coredns', 'falco', 'x') }, { requiredKeys: [] }),
            requestObject: fc.anything(),
            responseObject: fc.anything(),
            user: fc.oneof(fc.anything(), fc.record({ username: fc.string(), groups: fc.array(fc.string()), extra: fc.anything() }, { requiredKeys: [] })),
            sourceIPs: fc.oneof(fc.anything(), fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()))),
            responseStatus: fc.oneof(fc.anything(), fc.record({ code: fc.integer({ min: 100, max: 599 }) })),
            annotations: fc.anything(),
            userAgent: fc.anything(),
            requestURI: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        async (raw) => {
          const result = await runAudit([{ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'prop', ...raw }], { threatIps: ['0.0.0.0/0'], allowLists: { users: ['nobody'], namespaces: ['none'], registries: ['none/'], nodes: ['none'] } });
          expect(Object.keys(result.metrics).filter((k) => k.startsWith('detection_errors'))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
