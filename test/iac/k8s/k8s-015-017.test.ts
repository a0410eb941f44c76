import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (id: string, yaml: string) => findingsFor(id, yaml).map((f) => [f.container, f.location?.line]);

/** Every workload kind, with annotations added to the pod (template) metadata. */
function withPodAnnotations(podSpec: string, annotations: Record<string, string>): Record<string, string> {
  const entries = Object.entries(annotations);
  return Object.fromEntries(
    Object.entries(inEveryWorkloadKind(podSpec)).map(([kind, yaml]) => [
      kind,
      yaml.replace(/^( *)labels: \{app: app\}$/m, (_, indent: string) =>
        [`${indent}labels: {app: app}`, `${indent}annotations:`, ...entries.map(([k, v]) => `${indent}  ${k}: ${v}`)].join('\n'),
      ),
    ]),
  );
}

const twoContainers = `containers:
- name: main
  image: nginx:1.27
- name: sidecar
  image: envoy:1.31
`;

describe('K8S-015 no seccomp profile', () => {
  const unconfined = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    seccompProfile:
      type: Unconfined
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(unconfined))) {
    it(`fires for seccompProfile type Unconfined in a ${kind}, on the type line`, () => {
      const findings = findingsFor('K8S-015', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'type: Unconfined')]]);
    });
  }

  it('fires when no profile is set, on the container', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    expect(summary('K8S-015', yaml)).toEqual([['main', lineWith(yaml, '- name: main')]]);
  });

  it('passes RuntimeDefault and Localhost, set on the pod or on the container', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  seccompProfile: {type: RuntimeDefault}
containers:
- name: main
  image: nginx:1.27
- name: local
  image: nginx:1.27
  securityContext:
    seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}
`).Deployment;
    expect(findingsFor('K8S-015', yaml)).toEqual([]);
  });

  it('uses the effective profile: a container Unconfined overrides a pod-level RuntimeDefault', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  seccompProfile: {type: RuntimeDefault}
containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext:
    seccompProfile: {type: Unconfined}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext:
    seccompProfile: {}
`).CronJob;
    expect(findingsFor('K8S-015', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('does not accept the deprecated annotations, and says they are obsolete', () => {
    const yaml = withPodAnnotations(twoContainers, { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' }).Deployment;
    const findings = findingsFor('K8S-015', yaml);
    expect(findings.map((f) => f.container)).toEqual(['main', 'sidecar']);
    expect(findings[0].message).toContain('obsolete');
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-015', inEveryWorkloadKind(`os: {name: windows}\n${unconfined}`).Pod)).toEqual([]);
  });
});

describe('K8S-016 seccomp explicitly unconfined', () => {
  const podUnconfined = `securityContext:
  seccompProfile:
    type: Unconfined
${twoContainers}`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(podUnconfined))) {
    it(`fires per container for a pod-level Unconfined in a ${kind}, on the pod-level line`, () => {
      const line = lineWith(yaml, 'type: Unconfined');
      expect(findingsFor('K8S-016', yaml).map((f) => [f.container, f.severity, f.location?.line])).toEqual([
        ['main', 'high', line],
        ['sidecar', 'high', line],
      ]);
    });
  }

  it('uses the effective profile: a container RuntimeDefault overrides a pod-level Unconfined', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  seccompProfile: {type: Unconfined}
containers:
- name: main
  image: nginx:1.27
  securityContext:
    seccompProfile: {type: RuntimeDefault}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext:
    seccompProfile: {type: Unconfined}
`).Pod;
    expect(findingsFor('K8S-016', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  for (const [kind, yaml] of Object.entries(withPodAnnotations(twoContainers, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }))) {
    it(`fires for the legacy pod annotation on the pod metadata of a ${kind}, on the annotation line`, () => {
      const line = lineWith(yaml, 'seccomp.security.alpha.kubernetes.io/pod');
      expect(summary('K8S-016', yaml)).toEqual([
        ['main', line],
        ['sidecar', line],
      ]);
    });
  }

  it('a container annotation wins over the pod annotation', () => {
    const yaml = withPodAnnotations(twoContainers, {
      'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default',
      'container.seccomp.security.alpha.kubernetes.io/sidecar': 'unconfined',
    }).Deployment;
    expect(summary('K8S-016', yaml)).toEqual([['sidecar', lineWith(yaml, 'container.seccomp.security.alpha.kubernetes.io/sidecar')]]);
    const overridden = withPodAnnotations(twoContainers, {
      'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      'container.seccomp.security.alpha.kubernetes.io/main': 'runtime/default',
    }).Deployment;
    expect(findingsFor('K8S-016', overridden).map((f) => f.container)).toEqual(['sidecar']);
  });

  it('the field wins over the annotation', () => {
    const yaml = withPodAnnotations(`securityContext:
  seccompProfile: {type: RuntimeDefault}
${twoContainers}`, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }).StatefulSet;
    expect(findingsFor('K8S-016', yaml)).toEqual([]);
  });

  it('passes without any profile or annotation (that is K8S-015)', () => {
    expect(findingsFor('K8S-016', inEveryWorkloadKind(twoContainers).Pod)).toEqual([]);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-016', inEveryWorkloadKind(`os: {name: windows}\n${podUnconfined}`).Pod)).toEqual([]);
  });
});

describe('K8S-017 AppArmor explicitly unconfined', () => {
  const unconfined = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    appArmorProfile:
      type: Unconfined
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(unconfined))) {
    it(`fires for appArmorProfile type Unconfined in a ${kind}, on the type line`, () => {
      const findings = findingsFor('K8S-017', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'type: Unconfined')]]);
    });
  }

  for (const [kind, yaml] of Object.entries(withPodAnnotations(twoContainers, { 'container.apparmor.security.beta.kubernetes.io/sidecar': 'unconfined' }))) {
    it(`fires for the container annotation on the pod metadata of a ${kind}`, () => {
      expect(summary('K8S-017', yaml)).toEqual([['sidecar', lineWith(yaml, 'container.apparmor.security.beta.kubernetes.io/sidecar')]]);
    });
  }

  it('uses the effective profile and lets the field win over the annotation', () => {
    const yaml = withPodAnnotations(`securityContext:
  appArmorProfile: {type: Unconfined}
containers:
- name: main
  image: nginx:1.27
  securityContext:
    appArmorProfile: {type: RuntimeDefault}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext:
    appArmorProfile: {type: Localhost, localhostProfile: k8s-debug}
`, { 'container.apparmor.security.beta.kubernetes.io/debug': 'unconfined' }).CronJob;
    expect(findingsFor('K8S-017', yaml).map((f) => f.container)).toEqual(['init']);
  });

  it('passes RuntimeDefault/runtime/default and Localhost/localhost/* and no profile at all', () => {
    const yaml = withPodAnnotations(twoContainers, {
      'container.apparmor.security.beta.kubernetes.io/main': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/sidecar': 'localhost/k8s-sidecar',
    }).Deployment;
    expect(findingsFor('K8S-017', yaml)).toEqual([]);
    expect(findingsFor('K8S-017', inEveryWorkloadKind(twoContainers).Pod)).toEqual([]);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-017', inEveryWorkloadKind(`os: {name: windows}\n${unconfined}`).Pod)).toEqual([]);
  });
});
