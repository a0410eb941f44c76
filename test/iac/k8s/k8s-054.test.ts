import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'Role', name = 'debugger') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-054 can exec or attach into pods', () => {
  for (const resource of ['pods/exec', 'pods/attach']) {
    for (const verb of ['create', 'get']) {
      it(`fires on ${verb} ${resource}`, () => {
        const [f, ...rest] = findingsFor('K8S-054', role(`- resources: [${resource}]\n  verbs: [${verb}]\n`));
        expect(rest).toEqual([]);
        expect(f.severity).toBe('high');
        expect(f.message).toBe(`rules[0] grants ${verb} on ${resource} in the core group`);
      });
    }
  }

  it('reports the line of the granting entry and covers pods/*, */exec and "*"', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - pods\n  - pods/*\n  verbs: [create]\n`, 'ClusterRole');
    const [f] = findingsFor('K8S-054', yaml);
    expect(f.location?.line).toBe(yaml.split('\n').indexOf('  - pods/*') + 1);
    expect(findingsFor('K8S-054', role(`- resources: ["*/exec"]\n  verbs: [create]\n`))).toHaveLength(1);
    expect(findingsFor('K8S-054', role(`- resources: ["*"]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('passes for pods without subresources, other verbs, other subresources and system: roles', () => {
    for (const yaml of [
      role(`- resources: [pods]\n  verbs: [create, get]\n`),
      role(`- resources: [pods/exec, pods/attach]\n  verbs: [list, watch]\n`),
      role(`- resources: [pods/log, pods/portforward]\n  verbs: [get, create]\n`),
      role(`- apiGroups: [apps]\n  resources: [pods/exec]\n  verbs: [create]\n`),
      role(`- resources: [pods/exec]\n  verbs: [create]\n`, 'ClusterRole', 'system:aggregate-to-edit'),
    ]) {
      expect(findingsFor('K8S-054', yaml)).toEqual([]);
    }
  });
});
