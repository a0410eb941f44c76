import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const config = { trustedRegistries: [`${ECR}/`, 'registry.k8s.io/'] };
const withImage = (image: string) => inEveryWorkloadKind(`containers:\n- name: main\n  image: "${image}"\n`).Deployment;

describe('K8S-036 image from a registry outside the allowlist', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind('containers:\n- name: main\n  image: quay.io/org/app:1.0\n'))) {
    it(`fires on an untrusted registry in a ${kind}, on the image line`, () => {
      const [f, ...rest] = findingsFor('K8S-036', yaml, { config });
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('medium');
      expect(f.location?.line).toBe(lineOf(yaml, 'image: quay.io'));
    });
  }

  it('is off without an allowlist', () => {
    expect(findingsFor('K8S-036', withImage('quay.io/org/app:1.0'))).toEqual([]);
    expect(findingsFor('K8S-036', withImage('quay.io/org/app:1.0'), { config: { trustedRegistries: [] } })).toEqual([]);
  });

  it('passes images from allowlisted registries', () => {
    expect(findingsFor('K8S-036', withImage(`${ECR}/team/app:1.0`), { config })).toEqual([]);
    expect(findingsFor('K8S-036', withImage(`registry.k8s.io/pause@sha256:${'e'.repeat(64)}`), { config })).toEqual([]);
  });

  it('matches on a "/" boundary, so a look-alike host does not pass', () => {
    const [f] = findingsFor('K8S-036', withImage(`${ECR}.evil.io/team/app:1.0`), { config });
    expect(f.message).toContain('evil.io');
  });

  it('resolves images without a host to docker.io', () => {
    const [f] = findingsFor('K8S-036', withImage('nginx:1.27'), { config });
    expect(f.message).toContain('docker.io/library/nginx');
    expect(findingsFor('K8S-036', withImage('nginx:1.27'), { config: { trustedRegistries: ['docker.io/library/'] } })).toEqual([]);
    expect(findingsFor('K8S-036', withImage('bitnami/redis:7'), { config: { trustedRegistries: ['docker.io/library/'] } })).toHaveLength(1);
  });

  it('covers initContainers and ephemeralContainers', () => {
    const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: registry.k8s.io/pause:3.9
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: ghcr.io/x/debug:1
`).CronJob;
    expect(findingsFor('K8S-036', yaml, { config }).map((f) => f.container).sort()).toEqual(['debug', 'init']);
  });
});
