import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const SHA = 'b'.repeat(64);
const withImage = (image: string) => inEveryWorkloadKind(`containers:\n- name: main\n  image: "${image}"\n`).Deployment;

describe('K8S-033 mutable image: latest or no tag', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:latest\n'))) {
    it(`fires on :latest in a ${kind}, on the image line`, () => {
      const [f, ...rest] = findingsFor('K8S-033', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('medium');
      expect(f.container).toBe('main');
      expect(f.location?.line).toBe(lineOf(yaml, 'image: nginx:latest'));
    });
  }

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox
ephemeralContainers:
- name: debug
  image: busybox:latest
`).CronJob;
    expect(findingsFor('K8S-033', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it.each(['nginx', 'registry.example.com/team/app', 'host:5000/app', 'host:5000/app:latest', 'nginx@sha256:short'])('fires on %s', (image) => {
    expect(findingsFor('K8S-033', withImage(image))).toHaveLength(1);
  });

  it.each(['nginx:1.27', 'host:5000/app:1.0', `nginx:latest@sha256:${SHA}`, `nginx@sha256:${SHA}`, 'nginx:Latest-alpine'])('passes on %s', (image) => {
    expect(findingsFor('K8S-033', withImage(image))).toEqual([]);
  });

  it('says which case applies', () => {
    expect(findingsFor('K8S-033', withImage('nginx'))[0].message).toContain('no tag');
    expect(findingsFor('K8S-033', withImage('nginx:latest'))[0].message).toContain('"latest"');
  });

  it('skips containers without a usable image', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: a\n- name: b\n  image: 42\n- name: c\n  image: ""\n').Pod;
    expect(findingsFor('K8S-033', yaml)).toEqual([]);
  });
});
