import { describe, expect, it } from 'vitest';
import { scanText } from '../../helpers/scan.ts';

const MY_RULES = /^K8S-0(0[2-9]|1\d|2\d)$/;

/** Values of the wrong type everywhere the rules of sections 1 and 2 look. */
const malformed = [
  `apiVersion: v1
kind: Pod
metadata:
  name: wrong-types
  annotations: [a, b]
spec:
  hostPID: "true"
  hostAliases: {ip: 10.0.0.1}
  volumes: "not a list"
  securityContext:
    runAsUser: "0"
    fsGroup: [0]
    supplementalGroups: 0
    sysctls: {name: kernel.msgmax}
    seLinuxOptions: [spc_t]
    seccompProfile: Unconfined
    windowsOptions: true
  containers:
  - 42
  - null
  - name: [not, a, string]
    ports: {containerPort: 22}
    volumeMounts: "host"
    securityContext: "privileged"
  - name: odd
    ports: [22, "80", {containerPort: "22", hostPort: "8080"}, null]
    volumeMounts: [null, {name: 7}, {readOnly: true}]
    securityContext:
      capabilities: [NET_RAW]
      seLinuxOptions: {type: 7, user: null}
      seccompProfile: {type: [Unconfined]}
      appArmorProfile: []
      procMount: null
      windowsOptions: {hostProcess: "true"}
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: odd-volumes}
spec:
  template:
    metadata: "labels"
    spec:
      initContainers: {name: init}
      ephemeralContainers: "debug"
      containers:
      - name: main
        securityContext:
          capabilities: {add: {SYS_ADMIN: true}, drop: "ALL"}
        volumeMounts: [{name: host}]
      volumes:
      - 1
      - {name: host, hostPath: "/etc"}
      - {name: other, hostPath: {path: 42}}
      - {hostPath: {path: /var/run/docker.sock}}
`,
  `apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  ports: "22"
---
apiVersion: v1
kind: Service
metadata: {name: svc2}
spec: [ports]
---
apiVersion: v1
kind: Service
metadata: {name: svc3}
spec:
  ports: [null, 22, {port: "22", targetPort: [22]}]
`,
];

describe('K8S-002…029 on malformed input', () => {
  it('never fail and report only what the values literally say', () => {
    for (const yaml of malformed) {
      const result = scanText(yaml);
      expect(result.errors.filter((e) => /rule K8S-0(0[2-9]|1\d|2\d) failed/.test(e.message))).toEqual([]);
      for (const f of result.findings.filter((f) => MY_RULES.test(f.ruleId))) {
        expect(f.location?.line).toBeGreaterThan(0);
      }
    }
  });

  it('do not read strings or lists as booleans, numbers or maps', () => {
    const ids = new Set(scanText(malformed[0]).findings.map((f) => f.ruleId));
    for (const id of ['K8S-002', 'K8S-007', 'K8S-009', 'K8S-016', 'K8S-019', 'K8S-020', 'K8S-021', 'K8S-022', 'K8S-026', 'K8S-028', 'K8S-029']) {
      expect(ids.has(id), id).toBe(false);
    }
    const services = scanText(malformed[2]).findings.filter((f) => f.ruleId === 'K8S-028');
    expect(services).toEqual([]);
  });
});
