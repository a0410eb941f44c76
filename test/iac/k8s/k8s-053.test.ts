import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', name = 'power') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

describe('K8S-053 can bind, escalate or impersonate', () => {
  for (const verb of ['bind', 'escalate']) {
    for (const resource of ['roles', 'clusterroles']) {
      it(`fires on ${verb} ${resource} in rbac.authorization.k8s.io`, () => {
        const yaml = role(`- apiGroups: [rbac.authorization.k8s.io]\n  resources: [${resource}]\n  verbs: [${verb}]\n`, 'Role');
        const [f, ...rest] = findingsFor('K8S-053', yaml);
        expect(rest).toEqual([]);
        expect(f.severity).toBe('critical');
        expect(f.message).toBe(`rules[0] grants ${verb} on ${resource} in rbac.authorization.k8s.io`);
      });
    }
  }

  for (const resource of ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/scopes', 'userextras/*']) {
    for (const group of ['""', 'authentication.k8s.io']) {
      it(`fires on impersonate ${resource} in ${group}`, () => {
        expect(findingsFor('K8S-053', role(`- apiGroups: [${group}]\n  resources: ["${resource}"]\n  verbs: [impersonate]\n`))).toHaveLength(1);
      });
    }
  }

  it('points at the granting resources entry', () => {
    const yaml = role(`- apiGroups: [""]\n  resources:\n  - pods\n  - serviceaccounts\n  verbs: [impersonate]\n`);
    expect(findingsFor('K8S-053', yaml)[0].location?.line).toBe(yaml.split('\n').indexOf('  - serviceaccounts') + 1);
  });

  it('fires on wildcards', () => {
    expect(findingsFor('K8S-053', role(`- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n`))[0].message).toBe(
      'rules[0] grants every verb (*) on roles in rbac.authorization.k8s.io',
    );
    expect(findingsFor('K8S-053', role(`- resources: [users]\n  verbs: ["*"]\n`))).toHaveLength(1);
  });

  it('passes for ordinary RBAC management, wrong groups and system: roles', () => {
    for (const yaml of [
      role(`- apiGroups: [rbac.authorization.k8s.io]\n  resources: [roles, rolebindings]\n  verbs: [get, create, update]\n`),
      // bind on roles of the core group is not the RBAC resource.
      role(`- apiGroups: [""]\n  resources: [roles]\n  verbs: [bind]\n`),
      role(`- apiGroups: [example.com]\n  resources: [users]\n  verbs: [impersonate]\n`),
      role(`- resources: [userextras]\n  verbs: [impersonate]\n`),
      role(`- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [bind, escalate]\n`, 'ClusterRole', 'system:controller:clusterrole-aggregation-controller'),
    ]) {
      expect(findingsFor('K8S-053', yaml)).toEqual([]);
    }
  });
});
