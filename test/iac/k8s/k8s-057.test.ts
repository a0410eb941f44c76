import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', name = 'csr-approver') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-057 can approve CSRs', () => {
  for (const verb of ['update', 'patch']) {
    it(`fires on ${verb} certificatesigningrequests/approval, on its line`, () => {
      const yaml = role(`- apiGroups: [certificates.k8s.io]\n  resources:\n  - certificatesigningrequests/approval\n  verbs: [${verb}]\n`);
      const [f, ...rest] = findingsFor('K8S-057', yaml);
      expect(rest).toEqual([]);
      expect(f.severity).toBe('high');
      expect(f.message).toBe(`rules[0] grants ${verb} on certificatesigningrequests/approval in certificates.k8s.io`);
      expect(f.location?.line).toBe(7);
    });
  }

  it('fires on approve signers, with or without resourceNames', () => {
    expect(findingsFor('K8S-057', role(`- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]\n`))[0].message).toBe(
      'rules[0] grants approve on signers in certificates.k8s.io',
    );
    expect(
      findingsFor('K8S-057', role(`- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  resourceNames: [kubernetes.io/kube-apiserver-client]\n  verbs: [approve]\n`)),
    ).toHaveLength(1);
  });

  it('fires on wildcards', () => {
    expect(findingsFor('K8S-057', role(`- apiGroups: ["*"]\n  resources: ["certificatesigningrequests/*"]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('is a ClusterRole-only rule: Roles pass', () => {
    expect(findingsFor('K8S-057', role(`- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval, signers]\n  verbs: [update, approve]\n`, 'Role'))).toEqual([]);
  });

  it('passes for creating or reading CSRs, other groups and system: roles', () => {
    for (const yaml of [
      role(`- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests]\n  verbs: [create, get, update]\n`),
      role(`- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [sign]\n`),
      role(`- resources: [certificatesigningrequests/approval]\n  verbs: [update]\n`),
      role(`- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]\n`, 'ClusterRole', 'system:controller:certificate-controller'),
    ]) {
      expect(findingsFor('K8S-057', yaml)).toEqual([]);
    }
  });
});
