import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (id: string, yaml: string, options = {}) => findingsFor(id, yaml, options).map((f) => [f.container, f.location?.line]);

describe('K8S-006 container may run as root', () => {
  const rootUser = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    runAsUser: 0
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(rootUser))) {
    it(`fires for runAsUser: 0 in a ${kind}, on the runAsUser line`, () => {
      const findings = findingsFor('K8S-006', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'runAsUser: 0')]]);
    });
  }

  it('fires when no runAsUser is set and runAsNonRoot is not true, on the container', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    expect(summary('K8S-006', yaml)).toEqual([['main', lineWith(yaml, '- name: main')]]);
  });

  it('uses the effective context: pod-level runAsNonRoot applies unless the container overrides it', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsNonRoot: true
containers:
- name: inherits
  image: nginx:1.27
- name: overrides
  image: nginx:1.27
  securityContext:
    runAsNonRoot: false
`).Deployment;
    expect(summary('K8S-006', yaml)).toEqual([['overrides', lineWith(yaml, 'runAsNonRoot: false')]]);
  });

  it('points at a pod-level runAsNonRoot: false inherited by the container', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsNonRoot: false
containers:
- name: main
  image: nginx:1.27
`).Pod;
    expect(summary('K8S-006', yaml)).toEqual([['main', lineWith(yaml, 'runAsNonRoot: false')]]);
  });

  it('fires for UID 0 even with runAsNonRoot: true, and for a container overriding a safe pod-level UID', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsUser: 1000
  runAsNonRoot: true
containers:
- name: main
  image: nginx:1.27
  securityContext:
    runAsUser: 0
`).Pod;
    expect(summary('K8S-006', yaml)).toEqual([['main', lineWith(yaml, 'runAsUser: 0')]]);
  });

  it('passes an explicit UID above 0 without runAsNonRoot', () => {
    const yaml = inEveryWorkloadKind(`securityContext: {runAsUser: 1000}
containers:
- name: main
  image: nginx:1.27
`).Deployment;
    expect(findingsFor('K8S-006', yaml)).toEqual([]);
  });

  it('with requireRunAsNonRoot (PSS restricted) an explicit UID also needs runAsNonRoot: true', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: uid-only
  image: nginx:1.27
  securityContext: {runAsUser: 1000}
- name: both
  image: nginx:1.27
  securityContext: {runAsUser: 1000, runAsNonRoot: true}
`).Deployment;
    const config = { ruleOptions: { 'K8S-006': { requireRunAsNonRoot: true } } };
    const findings = findingsFor('K8S-006', yaml, { config });
    expect(findings.map((f) => f.container)).toEqual(['uid-only']);
    expect(findings[0].message).toContain('runAsUser 1000 but not runAsNonRoot: true');
    expect(findingsFor('K8S-006', yaml)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`securityContext: {runAsNonRoot: true}
containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {runAsUser: 0}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {runAsNonRoot: false}
`).CronJob;
    expect(findingsFor('K8S-006', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('is not evaluated for Windows pods', () => {
    const yaml = inEveryWorkloadKind(`os: {name: windows}\n${rootUser}`).Pod;
    expect(findingsFor('K8S-006', yaml)).toEqual([]);
  });
});

describe('K8S-007 explicitly runs as UID 0', () => {
  const rootUser = `containers:
- name: main
  image: nginx:1.27
  securityContext: {runAsUser: 0}
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(rootUser))) {
    it(`fires for runAsUser: 0 in a ${kind}`, () => {
      const findings = findingsFor('K8S-007', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'high', lineWith(yaml, 'runAsUser: 0')]]);
    });
  }

  it('fires for a pod-level UID 0 in every container that does not override it, on the pod-level line', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsUser: 0
containers:
- name: inherits
  image: nginx:1.27
- name: overrides
  image: nginx:1.27
  securityContext: {runAsUser: 1000}
initContainers:
- name: init
  image: busybox:1.36
`).Deployment;
    const line = lineWith(yaml, 'runAsUser: 0');
    expect(summary('K8S-007', yaml)).toEqual([
      ['inherits', line],
      ['init', line],
    ]);
  });

  it('passes a pod-level 0 overridden by every container, an unset runAsUser and a non-zero one', () => {
    const yaml = inEveryWorkloadKind(`securityContext: {runAsUser: 0}
containers:
- name: a
  image: nginx:1.27
  securityContext: {runAsUser: 1000}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {runAsUser: 2000}
`).Pod;
    expect(findingsFor('K8S-007', yaml)).toEqual([]);
    expect(findingsFor('K8S-007', inEveryWorkloadKind('containers:\n- name: a\n  image: nginx:1.27\n').Job)).toEqual([]);
  });

  it('covers ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {runAsUser: 0}
`).Pod;
    expect(findingsFor('K8S-007', yaml).map((f) => f.container)).toEqual(['debug']);
  });
});

describe('K8S-008 UID not above 10000', () => {
  const lowUid = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    runAsUser: 10000
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(lowUid))) {
    it(`fires for runAsUser 10000 in a ${kind}`, () => {
      const findings = findingsFor('K8S-008', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'low', lineWith(yaml, 'runAsUser: 10000')]]);
    });
  }

  it('fires for an unset runAsUser on the container, and passes 10001', () => {
    const unset = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    expect(summary('K8S-008', unset)).toEqual([['main', lineWith(unset, '- name: main')]]);
    const high = inEveryWorkloadKind('securityContext: {runAsUser: 10001}\ncontainers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    expect(findingsFor('K8S-008', high)).toEqual([]);
  });

  it('uses the effective context: a container UID overrides the pod-level one', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  runAsUser: 20000
containers:
- name: inherits
  image: nginx:1.27
- name: low
  image: nginx:1.27
  securityContext:
    runAsUser: 1000
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {runAsUser: 5}
`).CronJob;
    expect(summary('K8S-008', yaml)).toEqual([
      ['low', lineWith(yaml, 'runAsUser: 1000')],
      ['debug', lineWith(yaml, 'runAsUser: 5')],
    ]);
  });

  it('reads the threshold from ruleOptions', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: above
  image: nginx:1.27
  securityContext: {runAsUser: 1000}
- name: at
  image: nginx:1.27
  securityContext: {runAsUser: 999}
`).Deployment;
    const config = { ruleOptions: { 'K8S-008': { threshold: 999 } } };
    const findings = findingsFor('K8S-008', yaml, { config });
    expect(findings.map((f) => f.container)).toEqual(['at']);
    expect(findings[0].message).toContain('not above 999');
  });

  it('rejects a bad threshold option, naming the key', () => {
    const yaml = inEveryWorkloadKind(lowUid).Pod;
    expect(() => findingsFor('K8S-008', yaml, { config: { ruleOptions: { 'K8S-008': { threshold: 'high' } } } })).toThrow(/ruleOptions\.K8S-008\.threshold/);
    expect(() => findingsFor('K8S-008', yaml, { config: { ruleOptions: { 'K8S-008': { minimum: 5 } } } })).toThrow(/K8S-008/);
  });

  it('is not evaluated for Windows pods', () => {
    const yaml = inEveryWorkloadKind(`os: {name: windows}\n${lowUid}`).Pod;
    expect(findingsFor('K8S-008', yaml)).toEqual([]);
  });
});
