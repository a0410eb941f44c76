import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const summary = (id: string, yaml: string, options = {}) => findingsFor(id, yaml, options).map((f) => [f.container, f.location?.line]);
/** A pod with one container "main" and one hostPath volume "host" of the given path, not mounted. */
const hostPathPod = (path: string) => `containers:
- name: main
  image: nginx:1.27
volumes:
- name: host
  hostPath:
    path: ${path}
    type: Directory
`;

describe('K8S-022 hostPath volume', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(hostPathPod('/data')))) {
    it(`fires for an unmounted hostPath volume in a ${kind}, on the hostPath line`, () => {
      const findings = findingsFor('K8S-022', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'medium', lineWith(yaml, 'hostPath:')]]);
      expect(findings[0].message).toBe('volume "host" is a hostPath volume of /data');
    });
  }

  it('reports each hostPath volume and passes other volume types', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
volumes:
- name: scratch
  emptyDir: {}
- name: logs
  hostPath: {path: /var/log}
- name: config
  configMap: {name: app}
- name: dev
  hostPath: {path: /dev/fuse, type: CharDevice}
`).DaemonSet;
    expect(summary('K8S-022', yaml)).toEqual([
      [null, lineWith(yaml, 'path: /var/log')],
      [null, lineWith(yaml, 'path: /dev/fuse')],
    ]);
    expect(findingsFor('K8S-022', inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\nvolumes:\n- name: s\n  emptyDir: {}\n').Pod)).toEqual([]);
  });
});

describe('K8S-023 sensitive host directory mounted', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(hostPathPod('/etc/kubernetes/')))) {
    it(`fires for /etc/kubernetes/ in a ${kind}, on the path line`, () => {
      const findings = findingsFor('K8S-023', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'high', lineWith(yaml, 'path: /etc/kubernetes/')]]);
    });
  }

  const fires = (path: string) => findingsFor('K8S-023', inEveryWorkloadKind(hostPathPod(path)).Deployment).length === 1;

  it('fires for the listed paths, with or without a trailing slash', () => {
    const listed = ['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/sbin', '/sys', '/usr', '/var', '/var/lib', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet', '/var/lib/etcd', '/etc/kubernetes', '/etc/shadow'];
    for (const path of listed) expect(fires(path), path).toBe(true);
    for (const path of ['/etc/', '/var/lib/docker/', '//']) expect(fires(path), path).toBe(true);
  });

  it('fires below /proc/, /root/, /etc/kubernetes/, /var/lib/kubelet/, /var/lib/etcd/ and for /etc/sudoers*', () => {
    for (const path of ['/proc/sys/kernel', '/root/.ssh', '/etc/kubernetes/pki/ca.key', '/var/lib/kubelet/pods', '/var/lib/etcd/member', '/etc/sudoers', '/etc/sudoers.d', '/etc/sudoers.d/admins']) {
      expect(fires(path), path).toBe(true);
    }
  });

  it('passes other paths, including those below listed directories that are not prefixes', () => {
    for (const path of ['/data', '/var/log', '/var/lib/docker/volumes', '/etc/ssl/certs', '/procfs', '/rootfs', '/usr/local/share', '/run/containerd/containerd.sock']) {
      expect(fires(path), path).toBe(false);
    }
  });

  it('reads the path lists from ruleOptions', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
volumes:
- name: data
  hostPath: {path: /data/}
- name: etc
  hostPath: {path: /etc}
- name: secrets
  hostPath: {path: /srv/secrets/app}
`).Deployment;
    const config = { ruleOptions: { 'K8S-023': { paths: ['/data'], prefixes: ['/srv/secrets/'] } } };
    expect(findingsFor('K8S-023', yaml, { config }).map((f) => f.message)).toEqual([
      'volume "data" mounts the sensitive host path /data/',
      'volume "secrets" mounts the sensitive host path /srv/secrets/app',
    ]);
  });
});

describe('K8S-024 container runtime socket mounted', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(hostPathPod('/var/run/docker.sock')))) {
    it(`fires for docker.sock in a ${kind}, on the path line`, () => {
      const findings = findingsFor('K8S-024', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([[null, 'critical', lineWith(yaml, 'docker.sock')]]);
    });
  }

  const fires = (path: string) => findingsFor('K8S-024', inEveryWorkloadKind(hostPathPod(path)).DaemonSet).length === 1;

  it('fires for every runtime socket name and the socket directories', () => {
    for (const path of ['/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/var/run/cri-dockerd.sock', '/run/podman/podman.sock', '/run/k3s/containerd/containerd.sock']) {
      expect(fires(path), path).toBe(true);
    }
    for (const path of ['/var/run', '/run/', '/var/run/docker', '/var/run/containerd', '/run/containerd/', '/var/run/crio', '/run/crio']) {
      expect(fires(path), path).toBe(true);
    }
  });

  it('passes other paths', () => {
    for (const path of ['/var/run/secrets', '/run/udev', '/var/lib/docker', '/data/docker.socket']) expect(fires(path), path).toBe(false);
  });
});

describe('K8S-025 hostPath mounted writable', () => {
  const writable = `containers:
- name: main
  image: nginx:1.27
  volumeMounts:
  - name: scratch
    mountPath: /tmp
  - name: host
    mountPath: /host
volumes:
- name: scratch
  emptyDir: {}
- name: host
  hostPath: {path: /data}
`;
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(writable))) {
    it(`fires for a writable hostPath mount in a ${kind}, on the mount entry`, () => {
      const findings = findingsFor('K8S-025', yaml);
      expect(findings.map((f) => [f.container, f.severity, f.location?.line])).toEqual([['main', 'high', lineWith(yaml, '- name: host')]]);
    });
  }

  it('fires for readOnly: false on that line, and names every writable hostPath mount of the container', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  volumeMounts:
  - name: logs
    mountPath: /logs
    readOnly: false
  - name: data
    mountPath: /data
volumes:
- name: logs
  hostPath: {path: /var/log}
- name: data
  hostPath: {path: /data}
`).Deployment;
    const findings = findingsFor('K8S-025', yaml);
    expect(findings.map((f) => [f.container, f.location?.line])).toEqual([['main', lineWith(yaml, 'readOnly: false')]]);
    expect(findings[0].message).toBe('container "main" mounts the hostPath volumes "logs", "data" writable');
  });

  it('passes read-only hostPath mounts and writable mounts of other volumes', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  volumeMounts:
  - {name: host, mountPath: /host, readOnly: true}
  - {name: scratch, mountPath: /tmp}
volumes:
- name: host
  hostPath: {path: /data}
- name: scratch
  emptyDir: {}
`).Pod;
    expect(findingsFor('K8S-025', yaml)).toEqual([]);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
initContainers:
- name: init
  image: busybox:1.36
  volumeMounts: [{name: host, mountPath: /host}]
ephemeralContainers:
- name: debug
  image: busybox:1.36
  volumeMounts: [{name: host, mountPath: /host, readOnly: false}]
volumes:
- name: host
  hostPath: {path: /}
`).CronJob;
    expect(findingsFor('K8S-025', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });
});
