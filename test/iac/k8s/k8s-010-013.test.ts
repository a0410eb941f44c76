import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (id: string, yaml: string, options = {}) => findingsFor(id, yaml, options).map((f) => [f.container, f.location?.line]);
/** A pod spec with one container "main" whose capabilities are given as YAML flow maps/lists. */
const withCapabilities = (caps: string) => `containers:
- name: main
  image: nginx:1.27
  securityContext:
    capabilities:
${caps
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`;

describe('K8S-010 capabilities not dropped', () => {
  const noDrop = withCapabilities('drop: [NET_RAW]');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(noDrop))) {
    it(`fires when drop lacks ALL in a ${kind}, on the drop line`, () => {
      const findings = findingsFor('K8S-010', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'drop:')]]);
    });
  }

  it('fires without any capabilities, on the container', () => {
    const yaml = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
    expect(summary('K8S-010', yaml)).toEqual([['main', lineWith(yaml, '- name: main')]]);
  });

  it('accepts ALL in any case and with a CAP_ prefix', () => {
    for (const drop of ['[ALL]', '[all]', '[CAP_ALL]', '[NET_RAW, " All "]']) {
      expect(findingsFor('K8S-010', inEveryWorkloadKind(withCapabilities(`drop: ${drop}`)).Pod)).toEqual([]);
    }
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  securityContext: {capabilities: {drop: [ALL]}}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {capabilities: {drop: [CHOWN]}}
`).CronJob;
    expect(findingsFor('K8S-010', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-010', inEveryWorkloadKind(`os: {name: windows}\n${noDrop}`).Pod)).toEqual([]);
  });
});

describe('K8S-011 NET_RAW available', () => {
  const dropsOther = withCapabilities('drop: [CHOWN]');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(dropsOther))) {
    it(`fires when neither ALL nor NET_RAW is dropped in a ${kind}`, () => {
      const findings = findingsFor('K8S-011', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, 'drop:')]]);
    });
  }

  it('passes when ALL or NET_RAW is dropped (any spelling)', () => {
    for (const drop of ['[ALL]', '[net_raw]', '[CAP_NET_RAW]']) {
      expect(findingsFor('K8S-011', inEveryWorkloadKind(withCapabilities(`drop: ${drop}`)).Pod)).toEqual([]);
    }
  });

  it('fires when NET_RAW or ALL is added back, even after dropping ALL, on the add entry', () => {
    for (const added of ['NET_RAW', 'cap_net_raw', 'ALL']) {
      const yaml = inEveryWorkloadKind(withCapabilities(`drop: [ALL]\nadd:\n- CHOWN\n- ${added}`)).Deployment;
      expect(summary('K8S-011', yaml)).toEqual([['main', lineWith(yaml, `- ${added}`)]]);
    }
  });

  it('fires without capabilities, on the container, for every container list', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {capabilities: {drop: [ALL]}}
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).Pod;
    expect(summary('K8S-011', yaml)).toEqual([
      ['main', lineWith(yaml, '- name: main')],
      ['debug', lineWith(yaml, '- name: debug')],
    ]);
  });

  it('is not evaluated for Windows pods', () => {
    expect(findingsFor('K8S-011', inEveryWorkloadKind(`os: {name: windows}\n${dropsOther}`).Pod)).toEqual([]);
  });
});

describe('K8S-012 dangerous capability added', () => {
  const sysAdmin = withCapabilities('drop: [ALL]\nadd:\n- SYS_ADMIN');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(sysAdmin))) {
    it(`fires for an added SYS_ADMIN in a ${kind}, on that entry`, () => {
      const findings = findingsFor('K8S-012', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'high', lineWith(yaml, '- SYS_ADMIN')]]);
    });
  }

  it('normalises names and lists every dangerous addition in one finding per container', () => {
    const yaml = inEveryWorkloadKind(withCapabilities('add: [CHOWN, cap_sys_ptrace, Net_Admin, bpf, ALL]')).Pod;
    const [finding, ...rest] = findingsFor('K8S-012', yaml);
    expect(rest).toEqual([]);
    expect(finding.message).toContain('SYS_PTRACE, NET_ADMIN, BPF, ALL');
  });

  it('passes harmless additions and no additions', () => {
    expect(findingsFor('K8S-012', inEveryWorkloadKind(withCapabilities('add: [NET_BIND_SERVICE, CHOWN]')).Pod)).toEqual([]);
    expect(findingsFor('K8S-012', inEveryWorkloadKind(withCapabilities('drop: [ALL]')).Pod)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers, and Windows pods', () => {
    const yaml = inEveryWorkloadKind(`os: {name: windows}
containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {capabilities: {add: [SYS_MODULE]}}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {capabilities: {add: [SYS_PTRACE]}}
`).CronJob;
    expect(findingsFor('K8S-012', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it('reads the dangerous list from ruleOptions', () => {
    const yaml = inEveryWorkloadKind(withCapabilities('add: [SYS_ADMIN, CHOWN]')).Deployment;
    const config = { ruleOptions: { 'K8S-012': { capabilities: ['cap_chown'] } } };
    const findings = findingsFor('K8S-012', yaml, { config });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/adds CHOWN$/);
  });
});

describe('K8S-013 capability added outside the baseline set', () => {
  const sysTime = withCapabilities('add:\n- SYS_TIME');
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(sysTime))) {
    it(`fires for SYS_TIME in a ${kind}, on that entry`, () => {
      const findings = findingsFor('K8S-013', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'medium', lineWith(yaml, '- SYS_TIME')]]);
    });
  }

  it('fires together with K8S-012 for a dangerous capability', () => {
    const yaml = inEveryWorkloadKind(withCapabilities('add: [SYS_ADMIN]')).Pod;
    expect(findingsFor('K8S-012', yaml)).toHaveLength(1);
    expect(findingsFor('K8S-013', yaml)).toHaveLength(1);
  });

  it('passes the baseline set (any spelling) and fires for ALL', () => {
    const baseline = 'add: [AUDIT_WRITE, chown, CAP_DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]';
    expect(findingsFor('K8S-013', inEveryWorkloadKind(withCapabilities(baseline)).Pod)).toEqual([]);
    expect(findingsFor('K8S-013', inEveryWorkloadKind(withCapabilities('add: [ALL]')).Pod)).toHaveLength(1);
  });

  it('with the restricted profile only NET_BIND_SERVICE may be added', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: web
  image: nginx:1.27
  securityContext: {capabilities: {add: [NET_BIND_SERVICE]}}
- name: chown
  image: nginx:1.27
  securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN]}}
`).Deployment;
    expect(findingsFor('K8S-013', yaml)).toEqual([]);
    const findings = findingsFor('K8S-013', yaml, { config: { ruleOptions: { 'K8S-013': { profile: 'restricted' } } } });
    expect(findings.map((f) => [f.container, f.message])).toEqual([['chown', 'container "chown" adds CHOWN, outside the restricted set']]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  securityContext: {capabilities: {add: [IPC_LOCK]}}
ephemeralContainers:
- name: debug
  image: busybox:1.36
  securityContext: {capabilities: {add: [SYS_PTRACE]}}
`).Pod;
    expect(findingsFor('K8S-013', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });
});
