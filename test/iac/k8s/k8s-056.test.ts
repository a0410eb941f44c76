import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const role = (rule: string, kind = 'ClusterRole', name = 'policy-manager') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: "${name}"}\nrules:\n${rule}`;

const RESOURCES = ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'];

describe('K8S-056 can change admission webhooks', () => {
  for (const resource of RESOURCES) {
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection']) {
      it(`fires on ${verb} ${resource}`, () => {
        const [f, ...rest] = findingsFor('K8S-056', role(`- apiGroups: [admissionregistration.k8s.io]\n  resources: [${resource}]\n  verbs: [${verb}]\n`));
        expect(rest).toEqual([]);
        expect(f.severity).toBe('high');
        expect(f.message).toBe(`rules[0] grants ${verb} on ${resource} in admissionregistration.k8s.io`);
      });
    }
  }

  it('reports the line of the resource and fires for wildcards and Roles', () => {
    const yaml = role(`- apiGroups: [admissionregistration.k8s.io]\n  resources:\n  - mutatingwebhookconfigurations\n  verbs: [get, patch]\n`);
    expect(findingsFor('K8S-056', yaml)[0].location?.line).toBe(7);
    expect(findingsFor('K8S-056', role(`- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: [delete]\n`, 'Role'))).toHaveLength(1);
  });

  it('passes for read-only access, other groups and system: roles', () => {
    for (const yaml of [
      role(`- apiGroups: [admissionregistration.k8s.io]\n  resources: [${RESOURCES.join(', ')}]\n  verbs: [get, list, watch]\n`),
      role(`- resources: [mutatingwebhookconfigurations]\n  verbs: [create]\n`),
      role(`- apiGroups: [admissionregistration.k8s.io]\n  resources: [mutatingwebhookconfigurations]\n  verbs: ["*"]\n`, 'ClusterRole', 'system:controller:foo'),
    ]) {
      expect(findingsFor('K8S-056', yaml)).toEqual([]);
    }
  });
});
