import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (yaml: string) => findingsFor('K8S-009', yaml).map((f) => [f.container, f.location?.line]);

describe('K8S-009 root group', () => {
  const rootGroup = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    runAsGroup: 0
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(rootGroup))) {
    it(`fires for runAsGroup: 0 in a ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-009', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'low', lineWith(yaml, 'runAsGroup: 0')]]);
    });
  }

  it('fires per container for a pod-level runAsGroup: 0 the container does not override', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsGroup: 0
containers:
- name: inherits
  image: nginx:1.27
- name: overrides
  image: nginx:1.27
  securityContext: {runAsGroup: 3000}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).CronJob;
    const line = lineWith(yaml, 'runAsGroup: 0');
    expect(summary(yaml)).toEqual([
      ['inherits', line],
      ['init', line],
      ['debug', line],
    ]);
  });

  it('fires once for fsGroup: 0 and for a 0 in supplementalGroups, on those lines', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  fsGroup: 0
  supplementalGroups:
  - 2000
  - 0
containers:
- name: main
  image: nginx:1.27
`).StatefulSet;
    expect(summary(yaml)).toEqual([
      [null, lineWith(yaml, 'fsGroup: 0')],
      [null, lineWith(yaml, '- 0')],
    ]);
  });

  it('passes non-zero groups, unset groups and a pod-level 0 overridden by every container', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsGroup: 0
  fsGroup: 2000
  supplementalGroups: [2000, 3000]
containers:
- name: main
  image: nginx:1.27
  securityContext: {runAsGroup: 3000}
`).Deployment;
    expect(findingsFor('K8S-009', yaml)).toEqual([]);
    expect(findingsFor('K8S-009', inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Pod)).toEqual([]);
  });

  it('is evaluated for Windows pods too', () => {
    const yaml = inEveryWorkloadKind(`os: {name: windows}\n${rootGroup}`).Pod;
    expect(findingsFor('K8S-009', yaml)).toHaveLength(1);
  });
});
