import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const SHA256 = 'd'.repeat(64);
const container = (image: string, policy?: string) =>
  inEveryWorkloadKind(`containers:\n- name: main\n  image: "${image}"\n${policy ? `  imagePullPolicy: ${policy}\n` : ''}`).DaemonSet;

describe('K8S-035 pull policy lets a stale mutable image run', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n  imagePullPolicy: IfNotPresent\n'))) {
    it(`fires on an explicit IfNotPresent in a ${kind}, on the policy line`, () => {
      const [f, ...rest] = findingsFor('K8S-035', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('low');
      expect(f.location?.line).toBe(lineOf(yaml, 'imagePullPolicy: IfNotPresent'));
    });
  }

  it('fires on a tagged image with the default policy (IfNotPresent), on the container', () => {
    const yaml = container('nginx:1.27');
    const [f] = findingsFor('K8S-035', yaml);
    expect(f.message).toContain('default imagePullPolicy IfNotPresent');
    expect(f.location?.line).toBe(lineOf(yaml, '- name: main'));
  });

  it('passes when the default policy is Always (no tag or latest)', () => {
    expect(findingsFor('K8S-035', container('nginx'))).toEqual([]);
    expect(findingsFor('K8S-035', container('nginx:latest'))).toEqual([]);
    expect(findingsFor('K8S-035', container('host:5000/app'))).toEqual([]);
  });

  it('fires on an explicit IfNotPresent or Never even for latest', () => {
    expect(findingsFor('K8S-035', container('nginx:latest', 'IfNotPresent'))).toHaveLength(1);
    expect(findingsFor('K8S-035', container('nginx', 'Never'))).toHaveLength(1);
  });

  it('passes on an explicit Always', () => {
    expect(findingsFor('K8S-035', container('nginx:1.27', 'Always'))).toEqual([]);
  });

  it('passes on digest-pinned images whatever the policy', () => {
    expect(findingsFor('K8S-035', container(`nginx@sha256:${SHA256}`, 'IfNotPresent'))).toEqual([]);
    expect(findingsFor('K8S-035', container(`nginx:1.27@sha256:${SHA256}`))).toEqual([]);
    expect(findingsFor('K8S-035', container('nginx:1.27@sha256:bad'))).toHaveLength(1);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  imagePullPolicy: Never
`).CronJob;
    expect(findingsFor('K8S-035', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });
});
