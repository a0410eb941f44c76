import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('K8S-014 writable root filesystem', () => {
  const writable = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    readOnlyRootFilesystem: false
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(writable))) {
    it(`fires for readOnlyRootFilesystem: false in a ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-014', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'readOnlyRootFilesystem')]]);
    });
  }

  it('fires when the field is missing, on the container', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    const findings = findingsFor('K8S-014', yaml);
    expect(findings.map((f) => [f.container, f.location?.line])).toEqual([['main', lineWith(yaml, '- name: main')]]);
    expect(findings[0].message).toBe('container "main" does not set readOnlyRootFilesystem: true');
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext: {readOnlyRootFilesystem: true}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {readOnlyRootFilesystem: "true"}
`).CronJob;
    expect(findingsFor('K8S-014', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('passes when every container sets readOnlyRootFilesystem: true', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext: {readOnlyRootFilesystem: true}
`).Job;
    expect(findingsFor('K8S-014', yaml)).toEqual([]);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-014', inEveryWorkloadKind(`os: {name: windows}\n${writable}`).Pod)).toEqual([]);
  });
});
