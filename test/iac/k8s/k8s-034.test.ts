import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const SHA256 = 'c'.repeat(64);
const withImage = (image: string) => inEveryWorkloadKind(`containers:\n- name: main\n  image: "${image}"\n`).StatefulSet;

describe('K8S-034 image not pinned by digest', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n'))) {
    it(`fires on a tag-only image in a ${kind}, on the image line`, () => {
      const [f, ...rest] = findingsFor('K8S-034', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('low');
      expect(f.location?.line).toBe(lineOf(yaml, 'image: nginx:1.27'));
    });
  }

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx@sha256:${SHA256}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).Pod;
    expect(findingsFor('K8S-034', yaml).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });

  it.each([
    `nginx@sha256:${SHA256}`,
    `nginx:1.27@sha256:${SHA256}`,
    `registry.example.com:5000/app@sha512:${'0'.repeat(128)}`,
    `app@blake3:${'1'.repeat(64)}`,
    'app@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
  ])('passes on %s', (image) => {
    expect(findingsFor('K8S-034', withImage(image))).toEqual([]);
  });

  it.each([
    'nginx',
    'nginx:latest',
    `nginx@sha256:${SHA256.toUpperCase()}`,
    `nginx@sha256:${SHA256.slice(1)}`,
    `nginx@sha512:${SHA256}`,
    `nginx@blake3:${'1'.repeat(128)}`,
    'nginx@md5',
    'nginx@',
  ])('fires on %s', (image) => {
    expect(findingsFor('K8S-034', withImage(image))).toHaveLength(1);
  });

  it('names a malformed digest in the message', () => {
    expect(findingsFor('K8S-034', withImage('nginx@sha256:abc'))[0].message).toContain('malformed digest "sha256:abc"');
  });

  it('exempts configured repositories on a "/" boundary', () => {
    const config = { ruleOptions: { 'K8S-034': { exemptRepositories: ['registry.k8s.io/', 'ghcr.io/acme/tools'] } } };
    expect(findingsFor('K8S-034', withImage('registry.k8s.io/pause:3.9'), { config })).toEqual([]);
    expect(findingsFor('K8S-034', withImage('ghcr.io/acme/tools/kubectl:1.31'), { config })).toEqual([]);
    expect(findingsFor('K8S-034', withImage('ghcr.io/acme/tools-evil:1'), { config })).toHaveLength(1);
    expect(findingsFor('K8S-034', withImage('registry.k8s.io.evil.io/pause:3.9'), { config })).toHaveLength(1);
  });

  it('rejects malformed options', () => {
    expect(() => findingsFor('K8S-034', withImage('nginx'), { config: { ruleOptions: { 'K8S-034': { exemptRepositories: 'registry.k8s.io' } } } })).toThrow(
      /ruleOptions\.K8S-034\.exemptRepositories/,
    );
  });
});
