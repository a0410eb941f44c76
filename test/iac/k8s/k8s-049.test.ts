import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, needle: string) => yaml.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('K8S-049 wildcard in RBAC rules', () => {
  it('fires on "*" in verbs, on the line of the "*" entry', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app, namespace: shop}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs:
  - get
  - "*"
`;
    const [f, ...rest] = findingsFor('K8S-049', yaml);
    expect(rest).toEqual([]);
    expect(f.severity).toBe('high');
    expect(f.message).toBe('rules[0] has "*" in verbs');
    expect(f.location?.line).toBe(lineOf(yaml, '- "*"'));
  });

  it('fires on "*" in resources of a ClusterRole, once per rules entry', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ops}
rules:
- apiGroups: [apps]
  resources: ["*"]
  verbs: [get]
- apiGroups: [""]
  resources: [pods]
  verbs: [get]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
`;
    const findings = findingsFor('K8S-049', yaml);
    expect(findings.map((f) => f.message)).toEqual(['rules[0] has "*" in resources', 'rules[2] has "*" in verbs and resources']);
    expect(findings.map((f) => f.location?.line)).toEqual([6, 13]);
  });

  it('does not fire on a "*" only in apiGroups, or on patterns such as pods/*', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
- apiGroups: ["*"]
  resources: [deployments, "pods/*"]
  verbs: [get, list]
`;
    expect(findingsFor('K8S-049', yaml)).toEqual([]);
  });

  it('leaves system: roles, non-RBAC kinds and malformed rules alone', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:controller:foo"}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: example.com/v1
kind: Role
metadata: {name: not-rbac}
rules: [{resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broken}
rules: [5, "x", {verbs: "*", resources: 7}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b}
rules: [{resources: ["*"], verbs: ["*"]}]
`;
    expect(findingsFor('K8S-049', yaml)).toEqual([]);
  });
});
