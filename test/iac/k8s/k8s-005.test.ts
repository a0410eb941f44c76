import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('K8S-005 privilege escalation not disabled', () => {
  const allowed = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    allowPrivilegeEscalation: true
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(allowed))) {
    it(`fires for allowPrivilegeEscalation: true in a ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-005', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'allowPrivilegeEscalation')]]);
    });
  }

  it('fires when the field is absent (the runtime default allows escalation), on the nearest parent', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: bare
  image: nginx:1.27
- name: partial
  image: nginx:1.27
  securityContext:
    runAsNonRoot: true
`).Deployment;
    const findings = findingsFor('K8S-005', yaml);
    expect(findings.map((f) => [f.container, f.location?.line])).toEqual([
      ['bare', lineWith(yaml, '- name: bare')],
      ['partial', lineWith(yaml, 'securityContext:')],
    ]);
    expect(findings[0].message).toContain('does not set allowPrivilegeEscalation: false');
  });

  it('covers initContainers and ephemeralContainers, per offending container', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext: {allowPrivilegeEscalation: false}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).CronJob;
    expect(findingsFor('K8S-005', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('passes when every container sets allowPrivilegeEscalation: false', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext: {allowPrivilegeEscalation: false}
`).StatefulSet;
    expect(findingsFor('K8S-005', yaml)).toEqual([]);
  });

  it('ignores a pod-level allowPrivilegeEscalation (the field exists only on containers)', () => {
    const yaml = inEveryWorkloadKind(`securityContext: {allowPrivilegeEscalation: false}
containers:
- name: main
  image: nginx:1.27
`).Pod;
    expect(findingsFor('K8S-005', yaml)).toHaveLength(1);
  });

  it('is not evaluated for Windows pods', () => {
    const yaml = inEveryWorkloadKind(`os: {name: windows}\n${allowed}`).Deployment;
    expect(findingsFor('K8S-005', yaml)).toEqual([]);
  });
});
