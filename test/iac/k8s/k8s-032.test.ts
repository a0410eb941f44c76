import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const sa = (name: string, extra = '') => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: team\n${extra}`;
const binding = (kind: string, subjects: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n${subjects}`;

describe('K8S-032 default ServiceAccount not locked down', () => {
  it('fires on a default ServiceAccount without automountServiceAccountToken, on the object', () => {
    const yaml = sa('default');
    const [f, ...rest] = findingsFor('K8S-032', yaml);
    expect(rest).toHaveLength(0);
    expect(f.severity).toBe('medium');
    expect(f.location?.line).toBe(1);
  });

  it('fires on a default ServiceAccount with automountServiceAccountToken: true, on that line', () => {
    const yaml = sa('default', 'automountServiceAccountToken: true\n');
    const [f] = findingsFor('K8S-032', yaml);
    expect(f.location?.line).toBe(lineOf(yaml, 'automountServiceAccountToken'));
  });

  it('passes on a locked-down default ServiceAccount and on other ServiceAccounts', () => {
    expect(findingsFor('K8S-032', sa('default', 'automountServiceAccountToken: false\n'))).toEqual([]);
    expect(findingsFor('K8S-032', sa('app'))).toEqual([]);
  });

  it('treats a string "false" as not disabling', () => {
    expect(findingsFor('K8S-032', sa('default', 'automountServiceAccountToken: "false"\n'))).toHaveLength(1);
  });

  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    it(`fires on a ${kind} subject {kind: ServiceAccount, name: default}, on the subject line`, () => {
      const yaml = binding(kind, '- kind: ServiceAccount\n  name: app\n  namespace: team\n- kind: ServiceAccount\n  name: default\n  namespace: team\n');
      const [f, ...rest] = findingsFor('K8S-032', yaml);
      expect(rest).toHaveLength(0);
      expect(f.location?.line).toBe(lineOf(yaml, 'name: default') - 1);
    });
  }

  it('passes bindings to other subjects named default that are not ServiceAccounts', () => {
    expect(findingsFor('K8S-032', binding('RoleBinding', '- kind: User\n  name: default\n- kind: Group\n  name: default\n'))).toEqual([]);
    expect(findingsFor('K8S-032', binding('RoleBinding', '- kind: ServiceAccount\n  name: app\n'))).toEqual([]);
  });

  it('reports every default ServiceAccount subject and survives malformed subjects', () => {
    const yaml = binding('ClusterRoleBinding', '- kind: ServiceAccount\n  name: default\n  namespace: a\n- oops\n- null\n- kind: ServiceAccount\n  name: default\n  namespace: b\n');
    expect(findingsFor('K8S-032', yaml)).toHaveLength(2);
    expect(findingsFor('K8S-032', binding('RoleBinding', '  not-a-list: true\n'))).toEqual([]);
  });
});
