// Realistic Kubernetes audit traffic for the audit benchmark: what a busy cluster's API server
// logs (lease renewals, node status patches, controller list/watch, kubectl reads, deployments at
// Request level, the odd exec and RBAC change), deterministic for a given seed.

/** Deterministic pseudo-random numbers, so every run measures the same events. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const NODES = Array.from({ length: 40 }, (_, i) => `ip-10-0-${i % 8}-${20 + i}.ec2.internal`);
const TEAMS = Array.from({ length: 25 }, (_, i) => `team-${i}`);
const HUMANS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'kubernetes-admin', 'deploy-bot'];
const CONTROLLERS = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'job-controller', 'namespace-controller', 'generic-garbage-collector'];
const T0 = Date.parse('2025-06-02T08:00:00Z');

const uuid = (r: () => number) => {
  const h = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
};

interface EventParts {
  level: 'Metadata' | 'Request' | 'RequestResponse';
  verb: string;
  uri: string;
  user: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  ip: string;
  agent: string;
  ref: Record<string, string>;
  code: number;
  requestObject?: unknown;
  reason?: string;
}

function event(r: () => number, i: number, p: EventParts): string {
  const received = new Date(T0 + i * 7);
  const done = new Date(T0 + i * 7 + 3 + Math.floor(r() * 40));
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: p.level,
    auditID: uuid(r),
    stage: 'ResponseComplete',
    requestURI: p.uri,
    verb: p.verb,
    user: p.user,
    sourceIPs: [p.ip],
    userAgent: p.agent,
    objectRef: p.ref,
    responseStatus: { metadata: {}, ...(p.code >= 400 ? { status: 'Failure', reason: 'Forbidden', code: p.code } : { code: p.code }) },
    ...(p.requestObject !== undefined ? { requestObject: p.requestObject } : {}),
    requestReceivedTimestamp: received.toISOString().replace('Z', '000Z'),
    stageTimestamp: done.toISOString().replace('Z', '000Z'),
    annotations: {
      'authorization.k8s.io/decision': p.code === 403 ? 'forbid' : 'allow',
      'authorization.k8s.io/reason': p.reason ?? (p.code === 403 ? '' : 'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount'),
    },
  });
}

const node = (r: () => number) => NODES[Math.floor(r() * NODES.length)];
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

function deploymentBody(name: string, ns: string, r: () => number) {
  const privileged = r() < 0.02;
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          serviceAccountName: name,
          containers: [
            {
              name: 'app',
              image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.${Math.floor(r() * 40)}.0`,
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext: privileged ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
            },
          ],
        },
      },
    },
  };
}

/** One audit event (a JSON line) of a realistic mix. */
function line(r: () => number, i: number): string {
  const x = r();
  const ns = pick(r, TEAMS);
  if (x < 0.3) {
    const n = node(r);
    return event(r, i, {
      level: 'Metadata',
      verb: 'update',
      uri: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}?timeout=10s`,
      user: { username: `system:node:${n}`, groups: ['system:nodes', 'system:authenticated'] },
      ip: `10.0.${Math.floor(r() * 8)}.${20 + Math.floor(r() * 40)}`,
      agent: 'kubelet/v1.31.2 (linux/amd64) kubernetes/abc1234',
      ref: { resource: 'leases', namespace: 'kube-node-lease', name: n, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' },
      code: 200,
    });
  }
  if (x < 0.45) {
    const n = node(r);
    return event(r, i, {
      level: 'RequestResponse',
      verb: 'patch',
      uri: `/api/v1/nodes/${n}/status?timeout=10s`,
      user: { username: `system:node:${n}`, groups: ['system:nodes', 'system:authenticated'] },
      ip: '10.0.3.41',
      agent: 'kubelet/v1.31.2 (linux/amd64) kubernetes/abc1234',
      ref: { resource: 'nodes', name: n, apiVersion: 'v1', subresource: 'status' },
      code: 200,
      requestObject: { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(T0 + i).toISOString() }] } },
    });
  }
  if (x < 0.65) {
    const resource = pick(r, ['pods', 'endpoints', 'configmaps', 'services', 'deployments', 'replicasets']);
    const sa = pick(r, CONTROLLERS);
    return event(r, i, {
      level: 'Request',
      verb: pick(r, ['list', 'watch', 'get']),
      uri: `/api/v1/namespaces/${ns}/${resource}?limit=500&resourceVersion=0`,
      user: { username: `system:serviceaccount:kube-system:${sa}`, uid: uuid(r), groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      ip: '10.0.0.12',
      agent: `kube-controller-manager/v1.31.2 (linux/amd64) kubernetes/abc1234/system:serviceaccount:kube-system:${sa}`,
      ref: { resource, namespace: ns, apiVersion: 'v1' },
      code: 200,
    });
  }
  if (x < 0.8) {
    // Workloads reading their own objects through client-go; now and then a script with a generic HTTP client.
    const resource = pick(r, ['pods', 'configmaps', 'secrets', 'services']);
    const app = `svc-${Math.floor(r() * 60)}`;
    return event(r, i, {
      level: 'Metadata',
      verb: pick(r, ['get', 'get', 'list', 'watch']),
      uri: `/api/v1/namespaces/${ns}/${resource}/${app}`,
      user: { username: `system:serviceaccount:${ns}:${app}`, uid: uuid(r), groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] },
      ip: `10.0.${Math.floor(r() * 8)}.${100 + Math.floor(r() * 100)}`,
      agent: r() < 0.02 ? 'python-requests/2.32.3' : `${app}/v0.0.0 (linux/amd64) kubernetes/$Format`,
      ref: { resource, namespace: ns, name: app, apiVersion: 'v1' },
      code: r() < 0.01 ? 403 : 200,
    });
  }
  if (x < 0.93) {
    const human = pick(r, HUMANS);
    const resource = pick(r, ['pods', 'deployments', 'services', 'events', 'namespaces']);
    return event(r, i, {
      level: 'Request',
      verb: pick(r, ['get', 'list', 'list', 'watch']),
      uri: `/api/v1/namespaces/${ns}/${resource}?limit=500`,
      user: { username: human, groups: ['system:authenticated'], extra: { arn: [`arn:aws:sts::123456789012:assumed-role/Dev/${human}`], sessionName: [human] } },
      ip: pick(r, ['203.0.113.10', '198.51.100.23', '10.20.0.5']),
      agent: 'kubectl/v1.31.0 (darwin/arm64) kubernetes/9a1c2d3',
      ref: { resource, namespace: ns, apiVersion: 'v1' },
      code: r() < 0.05 ? 403 : 200,
    });
  }
  if (x < 0.99) {
    const app = `svc-${Math.floor(r() * 60)}`;
    const verb = pick(r, ['create', 'patch', 'update']);
    return event(r, i, {
      level: 'RequestResponse',
      verb,
      uri: `/apis/apps/v1/namespaces/${ns}/deployments${verb === 'create' ? '' : `/${app}`}?fieldManager=kubectl-client-side-apply`,
      user: { username: 'system:serviceaccount:argocd:argocd-application-controller', groups: ['system:serviceaccounts', 'system:authenticated'] },
      ip: '10.0.5.77',
      agent: 'argocd-application-controller/v2.12.0',
      ref: { resource: 'deployments', namespace: ns, name: app, apiGroup: 'apps', apiVersion: 'v1' },
      code: verb === 'create' ? 201 : 200,
      requestObject: deploymentBody(app, ns, r),
    });
  }
  const human = pick(r, HUMANS);
  const pod = `svc-${Math.floor(r() * 60)}-7d9c8b6f5-${Math.floor(r() * 1e5).toString(36)}`;
  const cmd = r() < 0.2 ? ['sh', '-c', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token'] : ['sh'];
  return event(r, i, {
    level: 'Metadata',
    verb: pick(r, ['create', 'get']),
    uri: `/api/v1/namespaces/${ns}/pods/${pod}/exec?${cmd.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&container=app&stdin=true&stdout=true&tty=true`,
    user: { username: human, groups: ['system:authenticated'] },
    ip: '203.0.113.10',
    agent: 'kubectl/v1.31.0 (darwin/arm64) kubernetes/9a1c2d3',
    ref: { resource: 'pods', namespace: ns, name: pod, apiVersion: 'v1', subresource: 'exec' },
    code: 101,
  });
}

/** `count` audit events as JSON lines. */
export function auditLines(count: number, seed = 42): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => line(r, i));
}
