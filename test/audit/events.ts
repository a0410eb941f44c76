// Audit event fixtures shaped like what kube-apiserver (and EKS) write: builders for the requests
// the detections care about, with v1beta1 and Metadata-level variants.
import { randomUUID } from 'node:crypto';

export type RawEvent = Record<string, unknown>;

const T0 = Date.parse('2025-03-04T09:15:00Z');
let clock = 0;

/** A fresh timestamp `offsetSeconds` after the fixture epoch (microsecond precision, as the API server writes). */
export function at(offsetSeconds: number): string {
  return new Date(T0 + offsetSeconds * 1000).toISOString().replace('Z', '000Z');
}

export const HUMAN = { username: 'dana@example.com', groups: ['oidc:platform-team', 'system:authenticated'] };
export const EKS_ADMIN = {
  username: 'kubernetes-admin',
  uid: 'aws-iam-authenticator:123456789012:AROAEXAMPLEID',
  groups: ['system:masters', 'system:authenticated'],
  extra: { accessKeyId: ['ASIAEXAMPLEKEY'], arn: ['arn:aws:sts::123456789012:assumed-role/Admin/dana'], canonicalArn: ['arn:aws:iam::123456789012:role/Admin'], sessionName: ['dana'] },
};
export const RS_CONTROLLER = { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'b1f5c6a0-3c1e-4a57-9d55-5c3f6a1d2e11', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };
export const KUBELET = { username: 'system:node:ip-10-0-12-34.ec2.internal', groups: ['system:nodes', 'system:authenticated'] };
export const workload = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, uid: randomUUID(), groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });

const KUBECTL = 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46';

interface Base {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  apiGroup?: string;
  apiVersion?: string;
  user?: Record<string, unknown>;
  code?: number;
  level?: 'Metadata' | 'Request' | 'RequestResponse';
  requestObject?: unknown;
  responseObject?: unknown;
  stage?: string;
  requestURI?: string;
  sourceIPs?: string[];
  userAgent?: string;
  auditID?: string;
  time?: number;
  impersonatedUser?: Record<string, unknown>;
}

/** A complete audit.k8s.io/v1 event of one request. */
export function auditEvent(b: Base): RawEvent {
  const group = b.apiGroup ?? '';
  const version = b.apiVersion ?? 'v1';
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const path = `${prefix}${b.namespace ? `/namespaces/${b.namespace}` : ''}/${b.resource}${b.name ? `/${b.name}` : ''}${b.subresource ? `/${b.subresource}` : ''}`;
  const code = b.code ?? (b.verb === 'create' ? 201 : 200);
  const time = b.time ?? clock++;
  const objectRef: Record<string, string> = { resource: b.resource, apiVersion: version };
  if (b.namespace) objectRef.namespace = b.namespace;
  if (b.name) objectRef.name = b.name;
  if (group) objectRef.apiGroup = group;
  if (b.subresource) objectRef.subresource = b.subresource;
  const event: RawEvent = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: b.level ?? (b.requestObject !== undefined ? 'Request' : 'Metadata'),
    auditID: b.auditID ?? randomUUID(),
    stage: b.stage ?? 'ResponseComplete',
    requestURI: b.requestURI ?? path,
    verb: b.verb,
    user: b.user ?? HUMAN,
    sourceIPs: b.sourceIPs ?? ['10.0.4.17'],
    userAgent: b.userAgent ?? KUBECTL,
    objectRef,
    responseStatus: code >= 400 ? { metadata: {}, status: 'Failure', message: `${b.resource} is forbidden`, reason: 'Forbidden', code } : { metadata: {}, code },
    requestReceivedTimestamp: at(time),
    stageTimestamp: at(time + 0.05),
    annotations: { 'authorization.k8s.io/decision': code === 403 ? 'forbid' : 'allow', 'authorization.k8s.io/reason': code === 403 ? '' : 'RBAC: allowed by ClusterRoleBinding "platform-admins" of ClusterRole "cluster-admin" to Group "oidc:platform-team"' },
  };
  if (b.impersonatedUser) event.impersonatedUser = b.impersonatedUser;
  if (b.requestObject !== undefined) event.requestObject = b.requestObject;
  if (b.responseObject !== undefined) event.responseObject = b.responseObject;
  return event;
}

/** The same event as an older cluster writes it (audit.k8s.io/v1beta1: `timestamp`, `metadata.creationTimestamp`). */
export function v1beta1(event: RawEvent): RawEvent {
  const { requestReceivedTimestamp, stageTimestamp, ...rest } = event;
  return { ...rest, apiVersion: 'audit.k8s.io/v1beta1', metadata: { creationTimestamp: stageTimestamp }, timestamp: requestReceivedTimestamp, requestReceivedTimestamp, stageTimestamp };
}

/** The same event logged at Metadata level: no request or response body. */
export function metadataOnly(event: RawEvent): RawEvent {
  const { requestObject: _request, responseObject: _response, ...rest } = event;
  return { ...rest, level: 'Metadata' };
}

export interface ContainerSpec {
  name?: string;
  image: string;
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export function podSpec(containers: ContainerSpec[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    containers: containers.map((c, i) => ({ name: c.name ?? `c${i}`, image: c.image, resources: { requests: { cpu: '50m' } }, ...(c.securityContext ? { securityContext: c.securityContext } : {}), ...(c.volumeMounts ? { volumeMounts: c.volumeMounts } : {}) })),
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    ...extra,
  };
}

/** `kubectl run` / a controller creating a pod. */
export function podCreate(opts: { namespace: string; name?: string; spec: Record<string, unknown>; user?: Record<string, unknown>; ownerDeployment?: string; code?: number; time?: number }): RawEvent {
  const hash = '7c9d8f6b5';
  const name = opts.name ?? (opts.ownerDeployment ? `${opts.ownerDeployment}-${hash}-x2v7q` : 'debug');
  const metadata: Record<string, unknown> = { name, namespace: opts.namespace, labels: { app: opts.ownerDeployment ?? name } };
  if (opts.ownerDeployment) {
    metadata.generateName = `${opts.ownerDeployment}-${hash}-`;
    (metadata.labels as Record<string, string>)['pod-template-hash'] = hash;
    metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${opts.ownerDeployment}-${hash}`, uid: randomUUID(), controller: true, blockOwnerDeletion: true }];
  }
  return auditEvent({
    verb: 'create',
    resource: 'pods',
    namespace: opts.namespace,
    name: opts.ownerDeployment ? undefined : name,
    user: opts.user ?? (opts.ownerDeployment ? RS_CONTROLLER : HUMAN),
    code: opts.code,
    time: opts.time,
    level: 'RequestResponse',
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata, spec: opts.spec },
  });
}

/** `kubectl apply` of a Deployment (or another template workload). */
export function workloadWrite(opts: { resource?: string; verb?: 'create' | 'update' | 'patch'; namespace: string; name: string; spec: Record<string, unknown>; user?: Record<string, unknown>; code?: number; time?: number }): RawEvent {
  const resource = opts.resource ?? 'deployments';
  const kind = { deployments: 'Deployment', daemonsets: 'DaemonSet', statefulsets: 'StatefulSet', replicasets: 'ReplicaSet', jobs: 'Job', cronjobs: 'CronJob' }[resource] ?? 'Deployment';
  const template = { metadata: { labels: { app: opts.name } }, spec: opts.spec };
  const spec = resource === 'cronjobs' ? { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } } : { replicas: 2, selector: { matchLabels: { app: opts.name } }, template };
  return auditEvent({
    verb: opts.verb ?? 'create',
    resource,
    apiGroup: resource === 'jobs' || resource === 'cronjobs' ? 'batch' : 'apps',
    namespace: opts.namespace,
    name: opts.name,
    user: opts.user,
    code: opts.code,
    time: opts.time,
    level: 'RequestResponse',
    requestObject: { kind, apiVersion: resource === 'jobs' || resource === 'cronjobs' ? 'batch/v1' : 'apps/v1', metadata: { name: opts.name, namespace: opts.namespace }, spec },
  });
}

/** kubectl exec: SPDY (`create`, older kubectl) or WebSocket (`get`, kubectl >= 1.30 and EKS). */
export function execEvent(opts: { namespace: string; pod: string; command: string[]; verb?: 'create' | 'get'; subresource?: 'exec' | 'attach'; stage?: string; user?: Record<string, unknown>; code?: number; auditID?: string; container?: string; time?: number }): RawEvent {
  const sub = opts.subresource ?? 'exec';
  const query = [...opts.command.map((c) => `command=${encodeURIComponent(c).replace(/%20/g, '+')}`), `container=${opts.container ?? 'app'}`, 'stdin=true', 'stdout=true', 'tty=true'].join('&');
  return auditEvent({
    verb: opts.verb ?? 'get',
    resource: 'pods',
    subresource: sub,
    namespace: opts.namespace,
    name: opts.pod,
    user: opts.user,
    code: opts.code ?? 101,
    stage: opts.stage ?? 'ResponseStarted',
    auditID: opts.auditID,
    time: opts.time,
    requestURI: `/api/v1/namespaces/${opts.namespace}/pods/${opts.pod}/${sub}?${sub === 'exec' ? query : 'container=app&stdin=true&stdout=true&tty=true'}`,
  });
}

export function bindingWrite(opts: { cluster?: boolean; verb?: 'create' | 'update' | 'patch'; namespace?: string; name: string; roleRef: { kind?: string; name: string }; subjects: Record<string, unknown>[]; user?: Record<string, unknown>; code?: number }): RawEvent {
  const resource = opts.cluster ? 'clusterrolebindings' : 'rolebindings';
  return auditEvent({
    verb: opts.verb ?? 'create',
    resource,
    apiGroup: 'rbac.authorization.k8s.io',
    namespace: opts.cluster ? undefined : (opts.namespace ?? 'default'),
    name: opts.name,
    user: opts.user,
    code: opts.code,
    level: 'RequestResponse',
    requestObject: {
      kind: opts.cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: opts.name, ...(opts.cluster ? {} : { namespace: opts.namespace ?? 'default' }) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: opts.roleRef.kind ?? 'ClusterRole', name: opts.roleRef.name },
      subjects: opts.subjects,
    },
  });
}

export function roleWrite(opts: { cluster?: boolean; verb?: 'create' | 'update' | 'patch'; namespace?: string; name: string; rules: Record<string, unknown>[]; user?: Record<string, unknown>; aggregationRule?: unknown; asPatchResponse?: boolean }): RawEvent {
  const resource = opts.cluster ? 'clusterroles' : 'roles';
  const body = {
    kind: opts.cluster ? 'ClusterRole' : 'Role',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { name: opts.name, ...(opts.cluster ? {} : { namespace: opts.namespace ?? 'default' }) },
    ...(opts.aggregationRule ? { aggregationRule: opts.aggregationRule } : {}),
    rules: opts.rules,
  };
  return auditEvent({
    verb: opts.verb ?? 'create',
    resource,
    apiGroup: 'rbac.authorization.k8s.io',
    namespace: opts.cluster ? undefined : (opts.namespace ?? 'default'),
    name: opts.name,
    user: opts.user,
    level: 'RequestResponse',
    // A JSON patch (what `kubectl patch --type=json` sends) with the stored object as the response.
    requestObject: opts.asPatchResponse ? [{ op: 'add', path: '/rules/-', value: opts.rules.at(-1) }] : body,
    ...(opts.asPatchResponse ? { responseObject: body } : {}),
  });
}

export const jsonLines = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
