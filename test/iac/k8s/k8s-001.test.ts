import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

describe('K8S-001 privileged container', () => {
  const privileged = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    privileged: true
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(privileged))) {
    it(`fires for a privileged container in a ${kind}, on the privileged line`, () => {
      const [f, ...rest] = findingsFor('K8S-001', yaml);
      expect(rest).toHaveLength(0);
      expect(f.container).toBe('main');
      expect(f.severity).toBe('critical');
      const line = yaml.split('\n').findIndex((l) => l.includes('privileged: true')) + 1;
      expect(f.location).toEqual({ file: 'manifest.yaml', line });
    });
  }

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {privileged: true}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext:
    privileged: true
`).Pod;
    expect(findingsFor('K8S-001', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('passes when privileged is false or absent', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: a
  image: nginx:1.27
  securityContext: {privileged: false}
- name: b
  image: nginx:1.27
`).Deployment;
    expect(findingsFor('K8S-001', yaml)).toEqual([]);
  });
});
