import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (id: string, yaml: string) => findingsFor(id, yaml).map((f) => [f.container, f.location?.line]);

describe('K8S-018 unsafe SELinux options', () => {
  const spcType = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    seLinuxOptions:
      type: spc_t
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(spcType))) {
    it(`fires for a container type spc_t in a ${kind}, on the type line`, () => {
      const findings = findingsFor('K8S-018', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'type: spc_t')]]);
    });
  }

  it('fires for user or role, naming every unsafe field', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext:
    seLinuxOptions:
      level: "s0:c123,c456"
      user: system_u
      role: sysadm_r
`).Deployment;
    const findings = findingsFor('K8S-018', yaml);
    expect(findings.map((f) => [f.container, f.location?.line])).toEqual([['main', lineWith(yaml, 'user: system_u')]]);
    expect(findings[0].message).toBe('container "main" seLinuxOptions set user "system_u", role "sysadm_r"');
  });

  it('fires once for unsafe pod-level options, even when the containers set safe ones', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  seLinuxOptions:
    type: unconfined_t
containers:
- name: a
  image: nginx:1.27
  securityContext:
    seLinuxOptions: {type: container_t}
- name: b
  image: nginx:1.27
`).StatefulSet;
    expect(summary('K8S-018', yaml)).toEqual([[null, lineWith(yaml, 'type: unconfined_t')]]);
  });

  it('passes the container types, level-only options and empty values', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  seLinuxOptions: {level: "s0:c1,c2"}
containers:
- name: a
  image: nginx:1.27
  securityContext:
    seLinuxOptions: {type: container_t}
- name: b
  image: nginx:1.27
  securityContext:
    seLinuxOptions: {type: container_init_t, user: "", role: ""}
- name: c
  image: nginx:1.27
  securityContext:
    seLinuxOptions: {type: container_kvm_t}
- name: d
  image: nginx:1.27
  securityContext:
    seLinuxOptions: {type: container_engine_t}
`).Deployment;
    expect(findingsFor('K8S-018', yaml)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {seLinuxOptions: {role: object_r}}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {seLinuxOptions: {type: spc_t}}
`).CronJob;
    expect(findingsFor('K8S-018', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-018', inEveryWorkloadKind(`os: {name: windows}\n${spcType}`).Pod)).toEqual([]);
  });
});

describe('K8S-019 non-default /proc mount', () => {
  const unmasked = `containers:
- name: main
  image: nginx:1.27
  securityContext:
    procMount: Unmasked
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(unmasked))) {
    it(`fires for procMount: Unmasked in a ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-019', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'high', lineWith(yaml, 'procMount: Unmasked')]]);
    });
  }

  it('passes Default and an absent procMount', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: a
  image: nginx:1.27
  securityContext: {procMount: Default}
- name: b
  image: nginx:1.27
`).Deployment;
    expect(findingsFor('K8S-019', yaml)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {procMount: Unmasked}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {procMount: Unmasked}
`).CronJob;
    expect(findingsFor('K8S-019', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-019', inEveryWorkloadKind(`os: {name: windows}\n${unmasked}`).Pod)).toEqual([]);
  });
});

describe('K8S-020 unsafe sysctls', () => {
  const unsafe = `securityContext:
  sysctls:
  - name: net.ipv4.tcp_syncookies
    value: "1"
  - name: kernel.msgmax
    value: "65536"
containers:
- name: main
  image: nginx:1.27
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(unsafe))) {
    it(`fires for kernel.msgmax in a ${kind}, on its name line`, () => {
      const findings = findingsFor('K8S-020', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'high', lineWith(yaml, 'kernel.msgmax')]]);
      expect(findings[0].message).toContain('kernel.msgmax');
    });
  }

  it('reports each unsafe sysctl', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  sysctls:
  - {name: net.core.somaxconn, value: "1024"}
  - {name: vm.max_map_count, value: "262144"}
containers:
- name: main
  image: nginx:1.27
`).Deployment;
    expect(findingsFor('K8S-020', yaml).map((f) => f.message)).toEqual([
      'the pod sets the unsafe sysctl net.core.somaxconn',
      'the pod sets the unsafe sysctl vm.max_map_count',
    ]);
  });

  it('passes every sysctl of the safe set, also written with slashes', () => {
    const safe = [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.ip_unprivileged_port_start',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_local_reserved_ports',
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
      'net.ipv4.tcp_rmem',
      'net/ipv4/tcp_wmem',
    ];
    const yaml = inEveryWorkloadKind(`securityContext:
  sysctls:
${safe.map((name) => `  - {name: ${name}, value: "1"}`).join('\n')}
containers:
- name: main
  image: nginx:1.27
`).Pod;
    expect(findingsFor('K8S-020', yaml)).toEqual([]);
    expect(findingsFor('K8S-020', inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Pod)).toEqual([]);
  });
});

describe('K8S-021 Windows HostProcess container', () => {
  const podLevel = `os: {name: windows}
hostNetwork: true
securityContext:
  windowsOptions:
    hostProcess: true
    runAsUserName: "NT AUTHORITY\\\\SYSTEM"
containers:
- name: main
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(podLevel))) {
    it(`fires once for a pod-level hostProcess in a Windows ${kind}, on that line`, () => {
      const findings = findingsFor('K8S-021', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'high', lineWith(yaml, 'hostProcess: true')]]);
    });
  }

  it('fires per container that sets hostProcess, in every container list', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
  securityContext:
    windowsOptions: {hostProcess: true}
- name: other
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
  securityContext:
    windowsOptions: {hostProcess: false}
initContainers:
- name: init
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
  securityContext:
    windowsOptions: {hostProcess: true}
ephemeralContainers:
- name: debug
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
  securityContext:
    windowsOptions:
      hostProcess: true
`).CronJob;
    expect(findingsFor('K8S-021', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init', 'main']);
  });

  it('passes hostProcess false or absent', () => {
    const yaml = inEveryWorkloadKind(`securityContext:
  windowsOptions: {hostProcess: false, runAsUserName: ContainerUser}
containers:
- name: main
  image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`).Deployment;
    expect(findingsFor('K8S-021', yaml)).toEqual([]);
  });
});
