import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Deterministic pseudo-random numbers, so every run scans the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const deployment = (i: number, r: () => number) => `apiVersion: apps/v1
kind: ${['Deployment', 'StatefulSet', 'DaemonSet'][i % 3]}
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
  labels:
    app: svc-${i}
    tier: ${r() > 0.5 ? 'backend' : 'frontend'}
spec:
  selector:
    matchLabels:
      app: svc-${i}
  template:
    metadata:
      labels:
        app: svc-${i}
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: svc-${i}
      securityContext:
        runAsNonRoot: ${r() > 0.3}
        runAsUser: ${r() > 0.5 ? 10001 : 0}
      initContainers:
        - name: init
          image: busybox:1.36
          command: ["sh", "-c", "until nslookup db; do sleep 1; done"]
      containers:
        - name: app
          image: registry.example.com/team-${i % 17}/svc-${i}:${r() > 0.8 ? 'latest' : `1.${i % 10}.${i % 7}`}
          ports:
            - containerPort: ${8000 + (i % 100)}
              name: http
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_HOST
              value: db.team-${i % 17}.svc
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: ${r() > 0.5 ? '256Mi' : '512Mi'}
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          securityContext:
            allowPrivilegeEscalation: ${r() > 0.5}
            privileged: ${r() > 0.95}
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
`;

const service = (i: number) => `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
spec:
  type: ClusterIP
  selector:
    app: svc-${i}
  ports:
    - port: 80
      targetPort: http
`;

const configMap = (i: number) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: svc-${i}-config
  namespace: team-${i % 17}
data:
  application.properties: |
    server.port=8080
    feature.flags=a,b,c
    cache.ttl=300
  LOG_FORMAT: json
`;

const role = (i: number) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
rules:
  - apiGroups: [""]
    resources: ["configmaps", "pods"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get"]
`;

const cronJob = (i: number) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-${i}
  namespace: team-${i % 17}
spec:
  schedule: "*/15 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/jobs/job-${i}:2.0.${i % 9}
              args: ["--batch", "${i}"]
`;

/** A workload written by a team that follows the rules: it should produce (almost) no findings. */
const hardened = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
  namespace: team-${i % 17}
  labels:
    app: svc-${i}
spec:
  selector:
    matchLabels:
      app: svc-${i}
  template:
    metadata:
      labels:
        app: svc-${i}
    spec:
      serviceAccountName: svc-${i}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/team-${i % 17}/svc-${i}@sha256:${(i % 10).toString().repeat(64)}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
`;

const KINDS = [deployment, service, configMap, role, cronJob] as const;
const HARDENED_KINDS = [hardened, service, configMap, hardened, service] as const;

/** Writes `documents` Kubernetes documents into files of `perFile` documents each; returns the file paths. */
export function writeCorpus(dir: string, documents: number, profile: 'typical' | 'hardened' = 'typical', perFile = 20): string[] {
  const kinds = profile === 'typical' ? KINDS : HARDENED_KINDS;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(42);
  const paths: string[] = [];
  for (let f = 0; f * perFile < documents; f++) {
    const docs: string[] = [];
    for (let d = 0; d < perFile && f * perFile + d < documents; d++) {
      const i = f * perFile + d;
      docs.push(kinds[i % kinds.length](i, r));
    }
    const path = join(dir, `app-${f}.yaml`);
    writeFileSync(path, docs.join('---\n'));
    paths.push(path);
  }
  return paths;
}
