import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const LONG_RUNNING = ['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];
const probe = '{httpGet: {path: /healthz, port: 8080}}';

for (const { id, field, other } of [
  { id: 'K8S-041', field: 'livenessProbe', other: 'readinessProbe' },
  { id: 'K8S-042', field: 'readinessProbe', other: 'livenessProbe' },
]) {
  describe(`${id} no ${field}`, () => {
    const missing = inEveryWorkloadKind(`containers:\n- name: main\n  image: nginx:1.27\n  ${other}: ${probe}\n`);

    for (const kind of LONG_RUNNING) {
      it(`fires in a ${kind}, on the container`, () => {
        const yaml = missing[kind];
        const [f, ...rest] = findingsFor(id, yaml);
        expect(rest).toHaveLength(0);
        expect(f.severity).toBe('low');
        expect(f.container).toBe('main');
        expect(f.message).toContain(field);
        expect(f.location?.line).toBe(lineOf(yaml, '- name: main'));
      });
    }

    for (const kind of ['Job', 'CronJob']) {
      it(`does not apply to a ${kind}`, () => {
        expect(findingsFor(id, missing[kind])).toEqual([]);
      });
    }

    it('passes when the probe is set', () => {
      for (const yaml of Object.values(inEveryWorkloadKind(`containers:\n- name: main\n  image: nginx:1.27\n  ${field}: ${probe}\n`))) {
        expect(findingsFor(id, yaml)).toEqual([]);
      }
    });

    it('checks containers[] only, not initContainers or ephemeralContainers', () => {
      const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  ${field}: ${probe}
- name: sidecar
  image: envoy:1.30
initContainers:
- name: init
  image: busybox:1.36
- name: restartable
  image: busybox:1.36
  restartPolicy: Always
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).StatefulSet;
      expect(findingsFor(id, yaml).map((f) => f.container)).toEqual(['sidecar']);
    });

    it('treats a null or non-map probe as missing', () => {
      expect(findingsFor(id, inEveryWorkloadKind(`containers:\n- name: main\n  image: nginx:1.27\n  ${field}: null\n`).Pod)).toHaveLength(1);
      expect(findingsFor(id, inEveryWorkloadKind(`containers:\n- name: main\n  image: nginx:1.27\n  ${field}: yes\n`).Pod)).toHaveLength(1);
    });

    it('does not apply to pod-template custom resources outside the listed kinds', () => {
      const rollout = missing.Deployment.replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout');
      expect(findingsFor(id, rollout)).toEqual([]);
    });
  });
}
