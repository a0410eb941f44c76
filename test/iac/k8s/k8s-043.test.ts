import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('K8S-043 secret exposed through environment variables', () => {
  const secretEnv = `containers:
- name: main
  image: app:1.0
  env:
  - name: MODE
    value: prod
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef: {name: db, key: password}
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(secretEnv))) {
    it(`fires on env valueFrom.secretKeyRef in a ${kind}, on the secretKeyRef line`, () => {
      const [f, ...rest] = findingsFor('K8S-043', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('low');
      expect(f.container).toBe('main');
      expect(f.message).toContain('DB_PASSWORD');
      expect(f.message).toContain('"db"');
      expect(f.location?.line).toBe(lineOf(yaml, 'secretKeyRef'));
    });
  }

  it('fires on envFrom secretRef, on its line', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: app:1.0\n  envFrom:\n  - configMapRef: {name: cfg}\n  - secretRef:\n      name: creds\n').Deployment;
    const [f, ...rest] = findingsFor('K8S-043', yaml);
    expect(rest).toHaveLength(0);
    expect(f.message).toContain('"creds"');
    expect(f.location?.line).toBe(lineOf(yaml, 'secretRef:'));
  });

  it('reports each reference separately, in every container list', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: app:1.0
  env:
  - {name: A, valueFrom: {secretKeyRef: {name: s, key: a}}}
  - {name: B, valueFrom: {secretKeyRef: {name: s, key: b}}}
initContainers:
- name: init
  image: app:1.0
  envFrom: [{secretRef: {name: s}}]
ephemeralContainers:
- name: debug
  image: busybox:1.36
  env: [{name: T, valueFrom: {secretKeyRef: {name: s, key: t}}}]
`).CronJob;
    expect(findingsFor('K8S-043', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init', 'main', 'main']);
  });

  it('passes on literal values, ConfigMap, field and resource references, and mounted Secrets', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: app:1.0
  env:
  - {name: A, value: x}
  - {name: B, valueFrom: {configMapKeyRef: {name: c, key: b}}}
  - {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
  - {name: D, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
  envFrom: [{configMapRef: {name: c}}]
  volumeMounts: [{name: creds, mountPath: /etc/creds, readOnly: true}]
volumes:
- name: creds
  secret: {secretName: creds}
`).Pod;
    expect(findingsFor('K8S-043', yaml)).toEqual([]);
  });

  it('survives malformed env entries', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: app:1.0\n  env: [null, 3, {valueFrom: null}, {valueFrom: {secretKeyRef: nope}}]\n  envFrom: {secretRef: {name: s}}\n').Pod;
    expect(findingsFor('K8S-043', yaml)).toEqual([]);
  });
});
