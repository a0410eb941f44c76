import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const withPorts = (ports: string) => `containers:
- name: main
  image: nginx:1.27
  ports:
${ports
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
`;

describe('K8S-026 hostPort used', () => {
  const hostPort = withPorts('- containerPort: 8080\n  hostPort: 8080');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(hostPort))) {
    it(`fires for hostPort 8080 in a ${kind}, on the hostPort line`, () => {
      const findings = findingsFor('K8S-026', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'hostPort: 8080')]]);
    });
  }

  it('passes hostPort 0 and no hostPort', () => {
    const yaml = inEveryWorkloadKind(withPorts('- {containerPort: 8080, hostPort: 0}\n- {containerPort: 9090}')).Deployment;
    expect(findingsFor('K8S-026', yaml)).toEqual([]);
  });

  it('reports once per container, naming every host port, in every container list', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  ports: [{containerPort: 80, hostPort: 80}, {containerPort: 443, hostPort: 443}]
initContainers:
- name: init
  image: busybox:1.36
  ports: [{containerPort: 9000, hostPort: 9000}]
`).CronJob;
    const findings = findingsFor('K8S-026', yaml);
    expect(findings.map((f) => f.container).sort()).toEqual(['init', 'main']);
    expect(findings.find((f) => f.container === 'main')?.message).toBe('container "main" binds host port 80, 443');
  });
});

describe('K8S-027 privileged container port', () => {
  const port80 = withPorts('- name: http\n  containerPort: 80');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(port80))) {
    it(`fires for containerPort 80 in a ${kind}, on the containerPort line`, () => {
      const findings = findingsFor('K8S-027', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'low', lineWith(yaml, 'containerPort: 80')]]);
    });
  }

  it('fires from 1 to 1023 and passes 0 and 1024 and above', () => {
    const fires = (port: number) => findingsFor('K8S-027', inEveryWorkloadKind(withPorts(`- containerPort: ${port}`)).Pod).length === 1;
    expect([1, 22, 443, 1023].map(fires)).toEqual([true, true, true, true]);
    expect([0, 1024, 8080, 65535].map(fires)).toEqual([false, false, false, false]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  ports: [{containerPort: 8080}]
initContainers:
- name: init
  image: busybox:1.36
  ports: [{containerPort: 53, protocol: UDP}]
ephemeralContainers:
- name: debug
  image: busybox:1.36
  ports: [{containerPort: 443}]
`).Deployment;
    expect(findingsFor('K8S-027', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });
});

describe('K8S-028 SSH port exposed', () => {
  const ssh = withPorts('- containerPort: 8080\n- name: ssh\n  containerPort: 22');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(ssh))) {
    it(`fires for containerPort 22 in a ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-028', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'low', lineWith(yaml, 'containerPort: 22')]]);
    });
  }

  it('covers initContainers and ephemeralContainers and passes other ports', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  ports: [{containerPort: 2222}]
initContainers:
- name: init
  image: busybox:1.36
  ports: [{containerPort: 22}]
ephemeralContainers:
- name: debug
  image: busybox:1.36
  ports: [{containerPort: 22}]
`).Pod;
    expect(findingsFor('K8S-028', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  const service = (ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: git
spec:
  selector: {app: git}
  ports:
${ports}
`;

  it('fires for a Service port 22, on that line', () => {
    const yaml = service('  - name: ssh\n    port: 22\n    targetPort: 2222');
    const findings = findingsFor('K8S-028', yaml);
    expect(findings.map((f) => [f.container, f.location?.line, f.message])).toEqual([[null, lineWith(yaml, 'port: 22'), 'the Service exposes the SSH port (port: 22)']]);
  });

  it('fires once per Service for a targetPort 22', () => {
    const yaml = service('  - name: ssh\n    port: 2222\n    targetPort: 22\n  - name: ssh2\n    port: 22');
    const findings = findingsFor('K8S-028', yaml);
    expect(findings.map((f) => f.location?.line)).toEqual([lineWith(yaml, 'targetPort: 22')]);
  });

  it('passes a Service without port 22 and a named targetPort', () => {
    expect(findingsFor('K8S-028', service('  - port: 443\n    targetPort: https\n  - port: 2222\n    targetPort: 8022'))).toEqual([]);
  });
});

describe('K8S-029 pod manages /etc/hosts', () => {
  const aliases = `hostAliases:
- ip: "10.0.0.10"
  hostnames: [db.internal, cache.internal]
containers:
- name: main
  image: nginx:1.27
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(aliases))) {
    it(`fires for hostAliases in a ${kind}, on the hostAliases line`, () => {
      const findings = findingsFor('K8S-029', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'low', lineWith(yaml, 'hostAliases:')]]);
      expect(findings[0].message).toContain('db.internal, cache.internal');
    });
  }

  it('passes an empty or absent hostAliases', () => {
    expect(findingsFor('K8S-029', inEveryWorkloadKind('hostAliases: []\ncontainers:\n- name: main\n  image: nginx:1.27\n').Deployment)).toEqual([]);
    expect(findingsFor('K8S-029', inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment)).toEqual([]);
  });
});
