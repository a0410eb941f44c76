import { describe, expect, it } from 'vitest';
import { auditEvent, bindingWrite, EKS_ADMIN, HUMAN, metadataOnly, RS_CONTROLLER, roleWrite, v1beta1, workload } from './events.ts';
import { only, ruleIds, runAudit } from './run.ts';

const APISERVER = { username: 'system:apiserver', uid: 'a5b1', groups: ['system:masters'] };
const ARGO = workload('argocd', 'argocd-application-controller');

describe('AUDIT-014 privileged role binding', () => {
  it('fires on a ClusterRoleBinding to cluster-admin and a RoleBinding to admin, v1 and v1beta1', async () => {
    const crb = bindingWrite({ cluster: true, name: 'backdoor', roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'eve@example.com', apiGroup: 'rbac.authorization.k8s.io' }] });
    for (const e of [crb, v1beta1(crb)]) {
      const f = only(await runAudit([e]), 'AUDIT-014');
      expect(f.message).toContain('cluster-admin');
      expect(f.audit?.evidence).toMatchObject({ roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'eve@example.com' }] });
    }
    expect(ruleIds(await runAudit([bindingWrite({ namespace: 'shop', name: 'ops', roleRef: { name: 'admin' }, subjects: [{ kind: 'Group', name: 'shop-ops' }] })]))).toContain('AUDIT-014');
  });

  it('does not fire for ordinary roles, a namespaced Role named admin, the control plane, GitOps identities or Metadata level', async () => {
    const none = await runAudit(
      [
        bindingWrite({ namespace: 'shop', name: 'viewers', roleRef: { name: 'view' }, subjects: [{ kind: 'Group', name: 'devs' }] }),
        bindingWrite({ namespace: 'shop', name: 'local', roleRef: { kind: 'Role', name: 'admin' }, subjects: [{ kind: 'Group', name: 'devs' }] }),
        bindingWrite({ cluster: true, name: 'kcm', roleRef: { name: 'system:kube-controller-manager' }, subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }], user: APISERVER }),
        bindingWrite({ cluster: true, name: 'argo-admin', roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'ops' }], user: ARGO }),
      ],
      { gitopsIdentities: [ARGO.username] },
    );
    expect(ruleIds(none)).not.toContain('AUDIT-014');
    const metadata = await runAudit([metadataOnly(bindingWrite({ cluster: true, name: 'x', roleRef: { name: 'cluster-admin' }, subjects: [] }))]);
    expect(metadata.findings).toEqual([]);
    expect(metadata.metrics['spec_unavailable.AUDIT-014']).toBe(1);
  });

  it('GitOps identities are exact usernames, never prefixes', async () => {
    const lookalike = workload('argocd', 'argocd-application-controller-evil');
    const e = bindingWrite({ cluster: true, name: 'x', roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'ops' }], user: lookalike });
    expect(ruleIds(await runAudit([e], { gitopsIdentities: [ARGO.username] }))).toContain('AUDIT-014');
  });

  it('accepts configured privileged roles (edit)', async () => {
    const e = bindingWrite({ cluster: true, name: 'all-edit', roleRef: { name: 'edit' }, subjects: [{ kind: 'Group', name: 'devs' }] });
    expect(ruleIds(await runAudit([e]))).not.toContain('AUDIT-014');
    expect(ruleIds(await runAudit([e], { privilegedRoles: ['edit'] }))).toContain('AUDIT-014');
  });
});

describe('AUDIT-015 binding to anonymous / all users', () => {
  it('is CRITICAL for system:anonymous, system:unauthenticated and system:authenticated on a non-discovery role', async () => {
    for (const subject of [
      { kind: 'User', name: 'system:anonymous' },
      { kind: 'Group', name: 'system:unauthenticated' },
      { kind: 'Group', name: 'system:authenticated' },
    ]) {
      const f = only(await runAudit([bindingWrite({ cluster: true, name: 'open', roleRef: { name: 'view' }, subjects: [subject] })]), 'AUDIT-015');
      expect(f.severity).toBe('critical');
    }
  });

  it('allows the discovery roles for system:authenticated and the API server reconciling its bindings', async () => {
    const none = await runAudit([
      bindingWrite({ cluster: true, name: 'system:discovery', roleRef: { name: 'system:discovery' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }),
      bindingWrite({ cluster: true, name: 'system:public-info-viewer', roleRef: { name: 'system:public-info-viewer' }, subjects: [{ kind: 'Group', name: 'system:unauthenticated' }], user: APISERVER }),
    ]);
    expect(ruleIds(none)).not.toContain('AUDIT-015');
    // Only system:apiserver is excepted, not other control-plane identities.
    const kcm = bindingWrite({ cluster: true, name: 'anon', roleRef: { name: 'view' }, subjects: [{ kind: 'User', name: 'system:anonymous' }], user: { username: 'system:kube-controller-manager', groups: [] } });
    expect(ruleIds(await runAudit([kcm]))).toContain('AUDIT-015');
  });
});

describe('AUDIT-016 default service account', () => {
  it('MEDIUM for a namespaced role, HIGH for a ClusterRoleBinding or a privileged role', async () => {
    const sa = [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }];
    expect(only(await runAudit([bindingWrite({ namespace: 'shop', name: 'd', roleRef: { name: 'view' }, subjects: sa })]), 'AUDIT-016').severity).toBe('medium');
    expect(only(await runAudit([bindingWrite({ cluster: true, name: 'd', roleRef: { name: 'view' }, subjects: sa })]), 'AUDIT-016').severity).toBe('high');
    expect(only(await runAudit([bindingWrite({ namespace: 'shop', name: 'd', roleRef: { name: 'admin' }, subjects: sa })]), 'AUDIT-016').severity).toBe('high');
    expect(ruleIds(await runAudit([bindingWrite({ namespace: 'shop', name: 'd', roleRef: { name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'shop-api', namespace: 'shop' }] })]))).not.toContain('AUDIT-016');
  });
});

describe('AUDIT-017 / AUDIT-018 roles', () => {
  const wildcard = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
  const execRule = { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] };

  it('a wildcard role raises AUDIT-017 only, not also AUDIT-018', async () => {
    const result = await runAudit([roleWrite({ cluster: true, name: 'god-mode', rules: [wildcard, execRule] })]);
    expect(ruleIds(result).filter((id) => id === 'AUDIT-017' || id === 'AUDIT-018')).toEqual(['AUDIT-017']);
    expect(only(result, 'AUDIT-017').severity).toBe('high');
  });

  it('a wildcard only in apiGroups does not count', async () => {
    const result = await runAudit([roleWrite({ name: 'reader', rules: [{ apiGroups: ['*'], resources: ['configmaps'], verbs: ['get', 'list'] }] })]);
    expect(ruleIds(result)).not.toContain('AUDIT-017');
    expect(ruleIds(result)).not.toContain('AUDIT-018');
  });

  it.each([
    [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }, 'pods/exec'],
    [{ apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }, 'pods/exec'],
    [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }, 'nodes/proxy'],
    [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, 'read secrets'],
    [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }, 'serviceaccounts/token'],
    [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }, 'impersonate'],
    [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] }, 'verb bind'],
    [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }, 'approve'],
    [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] }, 'mutatingwebhookconfigurations'],
  ])('AUDIT-018 for %j', async (rule, grant) => {
    const f = only(await runAudit([roleWrite({ namespace: 'shop', name: 'helper', rules: [rule] })]), 'AUDIT-018');
    expect(f.severity).toBe('medium');
    expect(f.message).toContain(grant);
  });

  it('ordinary permissions raise nothing', async () => {
    const result = await runAudit([
      roleWrite({ name: 'app', rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['create', 'update'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] }] }),
      roleWrite({ name: 'hooks-reader', rules: [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list'] }] }),
    ]);
    expect(result.findings).toEqual([]);
  });

  it('judges a JSON patch on the stored object (RequestResponse)', async () => {
    const result = await runAudit([roleWrite({ verb: 'patch', name: 'app', asPatchResponse: true, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, wildcard] })]);
    expect(ruleIds(result)).toContain('AUDIT-017');
  });

  it('evaluates an aggregated ClusterRole on its explicit rules only', async () => {
    const aggregated = roleWrite({ cluster: true, name: 'monitoring-view', aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] }, rules: [] });
    // The stored object carries the rules the aggregation controller filled in.
    const stored = { ...aggregated, verb: 'patch', requestObject: { metadata: { labels: { team: 'obs' } } }, responseObject: { ...(aggregated.requestObject as object), rules: [wildcard] } };
    expect(ruleIds(await runAudit([stored]))).not.toContain('AUDIT-017');
  });

  it('control plane, GitOps and operator installers are excepted', async () => {
    const config = { gitopsIdentities: [ARGO.username], operatorIdentities: ['system:serviceaccount:olm:olm-operator-serviceaccount'] };
    const none = await runAudit(
      [
        roleWrite({ cluster: true, name: 'a', rules: [wildcard], user: ARGO }),
        roleWrite({ cluster: true, name: 'b', rules: [execRule], user: workload('olm', 'olm-operator-serviceaccount') }),
        roleWrite({ cluster: true, name: 'c', rules: [wildcard], user: { username: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', groups: [] } }),
      ],
      config,
    );
    expect(none.findings).toEqual([]);
  });
});

describe('AUDIT-019 system role modified', () => {
  it('fires on update/patch/delete of system: and eks: roles by non-control-plane actors', async () => {
    for (const verb of ['update', 'patch', 'delete']) {
      const e = auditEvent({ verb, resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'system:node', user: EKS_ADMIN });
      expect(only(await runAudit([e]), 'AUDIT-019').severity).toBe('high');
    }
    expect(ruleIds(await runAudit([auditEvent({ verb: 'delete', resource: 'roles', apiGroup: 'rbac.authorization.k8s.io', namespace: 'kube-system', name: 'eks:fargate-manager' })]))).toContain('AUDIT-019');
  });

  it('skips the churn list, creates, ordinary names and the control plane', async () => {
    const none = await runAudit(
      [
        auditEvent({ verb: 'update', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'system:coredns' }),
        auditEvent({ verb: 'patch', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'system:my-churny-role' }),
        auditEvent({ verb: 'create', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'system:new' }),
        auditEvent({ verb: 'update', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'shop-reader' }),
        auditEvent({ verb: 'update', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'system:aggregate-to-view', user: { username: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', groups: [] } }),
      ],
      { churnRoles: ['system:my-churny-*'] },
    );
    expect(ruleIds(none)).not.toContain('AUDIT-019');
  });
});

describe('AUDIT-020 privileged impersonation', () => {
  const impersonating = (target: Record<string, unknown>, user: Record<string, unknown> = HUMAN, code = 200) => auditEvent({ verb: 'list', resource: 'secrets', namespace: 'kube-system', user, impersonatedUser: target, code });

  it.each([{ username: 'system:admin' }, { username: 'system:node:ip-10-0-1-2.ec2.internal', groups: ['system:nodes'] }, { username: 'system:serviceaccount:kube-system:argo' }, { username: 'dev', groups: ['system:masters'] }, { username: 'system:kube-scheduler' }])(
    'fires for %j',
    async (target) => {
      expect(only(await runAudit([impersonating(target)]), 'AUDIT-020').severity).toBe('high');
    },
  );

  it('skips ordinary users, configured proxies, eks: actors and refused requests', async () => {
    const none = await runAudit(
      [
        impersonating({ username: 'bob@example.com', groups: ['devs'] }),
        impersonating({ username: 'system:admin' }, workload('access', 'teleport')),
        impersonating({ username: 'system:admin' }, { username: 'eks:authenticator', groups: [] }),
        impersonating({ username: 'system:admin' }, HUMAN, 403),
      ],
      { impersonatingProxies: ['system:serviceaccount:access:teleport'] },
    );
    expect(ruleIds(none)).not.toContain('AUDIT-020');
  });
});

describe('AUDIT-021 token minted', () => {
  it('TokenRequest by a human: MEDIUM, HIGH in a platform namespace', async () => {
    const token = (ns: string) => auditEvent({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: ns, name: 'deployer' });
    expect(only(await runAudit([token('ci')]), 'AUDIT-021').severity).toBe('medium');
    expect(only(await runAudit([token('kube-system')]), 'AUDIT-021').severity).toBe('high');
  });

  it('legacy token secret at Request level; nothing at Metadata level or from kubelets', async () => {
    const secret = auditEvent({
      verb: 'create',
      resource: 'secrets',
      namespace: 'ci',
      name: 'deployer-token',
      requestObject: { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'deployer-token', annotations: { 'kubernetes.io/service-account.name': 'deployer' } }, type: 'kubernetes.io/service-account-token' },
    });
    expect(only(await runAudit([secret]), 'AUDIT-021').audit?.evidence).toMatchObject({ serviceAccount: 'deployer', via: 'token secret' });
    expect(ruleIds(await runAudit([metadataOnly(secret)]))).not.toContain('AUDIT-021');
    const kubelet = auditEvent({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'shop', name: 'api', user: { username: 'system:node:ip-10-0-1-2.ec2.internal', groups: ['system:nodes'] } });
    expect(ruleIds(await runAudit([kubelet, { ...kubelet, auditID: 'x', user: RS_CONTROLLER }]))).not.toContain('AUDIT-021');
  });
});
