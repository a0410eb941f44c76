import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', name = 'storage-admin') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-059 can create PersistentVolumes', () => {
  it('fires when a ClusterRole grants create on persistentvolumes, on its line', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - persistentvolumeclaims\n  - persistentvolumes\n  verbs: [create, delete]\n`);
    const [f, ...rest] = findingsFor('K8S-059', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('medium');
    expect(f.message).toBe('rules[0] grants create on persistentvolumes in the core group');
    expect(f.location?.line).toBe(8);
  });

  it('fires on wildcards', () => {
    expect(findingsFor('K8S-059', role(`- resources: ["*"]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('is a ClusterRole-only rule: Roles pass', () => {
    expect(findingsFor('K8S-059', role(`- resources: [persistentvolumes]\n  verbs: [create]\n`, 'Role'))).toEqual([]);
  });

  it('passes for claims, other verbs and system: roles', () => {
    for (const yaml of [
      role(`- resources: [persistentvolumeclaims]\n  verbs: [create]\n`),
      role(`- resources: [persistentvolumes]\n  verbs: [get, list, update]\n`),
      role(`- resources: [persistentvolumes]\n  verbs: [create]\n`, 'ClusterRole', 'system:persistent-volume-provisioner'),
    ]) {
      expect(findingsFor('K8S-059', yaml)).toEqual([]);
    }
  });
});
