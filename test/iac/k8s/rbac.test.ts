import { describe, expect, it } from 'vitest';
import { readManifests } from '../../../shared/scan/engine.ts';
import {
  CORE_GROUP,
  grants,
  grantsResource,
  isBinding,
  isRole,
  isSystemReserved,
  matchPermission,
  resourcePath,
  rulesOf,
  type RbacRule,
} from '../../../shared/iac/k8s/rbac.ts';

function manifestOf(yaml: string) {
  const [m] = readManifests({ path: 'rbac.yaml', text: yaml }, 'yaml', yaml, []);
  return m;
}

/** One RBAC rule from its fields, as rulesOf would yield it. */
function ruleOf(fields: string): RbacRule {
  const [rule] = rulesOf(manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- ${fields}\n`));
  return rule;
}

describe('rulesOf', () => {
  it('yields every rule of a Role or ClusterRole with its path, defaulting apiGroups to the core group', () => {
    const m = manifestOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
- resources: [pods]
  verbs: [get]
- apiGroups: [apps]
  resources: [deployments]
  resourceNames: [web]
  verbs: [get, list]
`);
    const rules = [...rulesOf(m)];
    expect(rules.map((r) => r.path)).toEqual([
      ['rules', 0],
      ['rules', 1],
    ]);
    expect(rules[0]).toMatchObject({ apiGroups: [CORE_GROUP], resources: ['pods'], verbs: ['get'], resourceNames: [] });
    expect(rules[1]).toMatchObject({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'], resourceNames: ['web'] });
  });

  it('keeps the index of each entry when some entries are not maps', () => {
    const m = manifestOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r}
rules:
- just a string
- resources: [pods]
  verbs: [get]
`);
    expect([...rulesOf(m)].map((r) => r.path)).toEqual([['rules', 1]]);
  });

  it('yields nothing for bindings, other kinds, Role kinds of other API groups, or malformed rules', () => {
    const rules = 'rules:\n- resources: [pods]\n  verbs: [get]\n';
    expect([...rulesOf(manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n${rules}`))]).toEqual([]);
    expect([...rulesOf(manifestOf(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n${rules}`))]).toEqual([]);
    expect([...rulesOf(manifestOf(`apiVersion: example.com/v1\nkind: Role\nmetadata: {name: r}\n${rules}`))]).toEqual([]);
    expect([...rulesOf(manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: not-a-list\n`))]).toEqual([]);
  });

  it('ignores values of the wrong type inside a rule', () => {
    const rule = ruleOf(`{apiGroups: "apps", resources: [3, pods, null], verbs: {get: true}}`);
    expect(rule).toMatchObject({ apiGroups: [], resources: ['pods'], verbs: [] });
    expect(grants(rule, 'get', 'pods', CORE_GROUP)).toBe(false);
  });

  it('treats rbac.authorization.k8s.io/v1beta1 objects as RBAC too', () => {
    const m = manifestOf(`apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{resources: [pods], verbs: [get]}]\n`);
    expect(isRole(m)).toBe(true);
    expect([...rulesOf(m)]).toHaveLength(1);
  });
});

describe('isBinding and isSystemReserved', () => {
  it('recognises bindings and system: names', () => {
    const binding = manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "system:node"}\n`);
    expect(isBinding(binding)).toBe(true);
    expect(isRole(binding)).toBe(false);
    expect(isSystemReserved(binding)).toBe(true);
    expect(isSystemReserved(manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: "my-system:role"}\n`))).toBe(false);
    expect(isSystemReserved(manifestOf(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {}\n`))).toBe(false);
  });
});

describe('grants', () => {
  it('matches verbs, resources and groups exactly or through "*"', () => {
    const rule = ruleOf(`{apiGroups: [""], resources: [secrets], verbs: [get, list]}`);
    expect(grants(rule, 'get', 'secrets', CORE_GROUP)).toBe(true);
    expect(grants(rule, 'watch', 'secrets', CORE_GROUP)).toBe(false);
    expect(grants(rule, 'get', 'configmaps', CORE_GROUP)).toBe(false);
    expect(grants(rule, 'get', 'secrets', 'apps')).toBe(false);
    expect(grants(ruleOf(`{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}`), 'delete', 'deployments', 'apps')).toBe(true);
    expect(grants(ruleOf(`{resources: ["*"], verbs: [create]}`), 'create', 'pods', CORE_GROUP)).toBe(true);
  });

  it('reads an omitted apiGroups as the core group only', () => {
    const rule = ruleOf(`{resources: [secrets], verbs: [get]}`);
    expect(grants(rule, 'get', 'secrets', CORE_GROUP)).toBe(true);
    expect(grants(rule, 'get', 'secrets', 'apps')).toBe(false);
  });

  it('keeps verbs, resources and groups case-sensitive, as the API server does', () => {
    const rule = ruleOf(`{resources: [Secrets], verbs: [GET]}`);
    expect(grants(rule, 'get', 'secrets', CORE_GROUP)).toBe(false);
  });

  it('covers subresources with <resource>/* and */<subresource>, never the parent resource', () => {
    const allOfPods = ruleOf(`{resources: ["pods/*"], verbs: [create]}`);
    expect(grants(allOfPods, 'create', 'pods/exec', CORE_GROUP)).toBe(true);
    expect(grants(allOfPods, 'create', 'pods', CORE_GROUP)).toBe(false);
    expect(grants(allOfPods, 'create', 'nodes/proxy', CORE_GROUP)).toBe(false);
    const execOfAll = ruleOf(`{resources: ["*/exec"], verbs: [create]}`);
    expect(grants(execOfAll, 'create', 'pods/exec', CORE_GROUP)).toBe(true);
    expect(grants(execOfAll, 'create', 'pods/attach', CORE_GROUP)).toBe(false);
    expect(grants(ruleOf(`{resources: [pods], verbs: [create]}`), 'create', 'pods/exec', CORE_GROUP)).toBe(false);
  });

  it('reads a wanted <resource>/* as "any subresource of it"', () => {
    expect(grants(ruleOf(`{resources: [userextras/scopes], verbs: [impersonate]}`), 'impersonate', 'userextras/*', CORE_GROUP)).toBe(true);
    expect(grants(ruleOf(`{resources: [userextras], verbs: [impersonate]}`), 'impersonate', 'userextras/*', CORE_GROUP)).toBe(false);
    expect(grants(ruleOf(`{resources: [users/scopes], verbs: [impersonate]}`), 'impersonate', 'userextras/*', CORE_GROUP)).toBe(false);
  });

  it('narrows by resourceNames only when a name is asked for', () => {
    const named = ruleOf(`{resources: [configmaps], resourceNames: [app-config], verbs: [update]}`);
    expect(grants(named, 'update', 'configmaps', CORE_GROUP)).toBe(true);
    expect(grants(named, 'update', 'configmaps', CORE_GROUP, 'aws-auth')).toBe(false);
    expect(grants(named, 'update', 'configmaps', CORE_GROUP, 'app-config')).toBe(true);
    expect(grants(ruleOf(`{resources: [configmaps], verbs: [update]}`), 'update', 'configmaps', CORE_GROUP, 'aws-auth')).toBe(true);
  });

  it('grantsResource ignores verbs', () => {
    expect(grantsResource(ruleOf(`{resources: [nodes/proxy], verbs: [weird]}`), 'nodes/proxy', CORE_GROUP)).toBe(true);
  });
});

describe('resourcePath and matchPermission', () => {
  it('points at the resources entry that covers the resource', () => {
    const rule = ruleOf(`{resources: [pods, secrets], verbs: [get]}`);
    expect(resourcePath(rule, 'secrets')).toEqual(['rules', 0, 'resources', 1]);
    expect(resourcePath(ruleOf(`{resources: ["*"], verbs: [get]}`), 'secrets')).toEqual(['rules', 0, 'resources', 0]);
    expect(resourcePath(ruleOf(`{verbs: [get]}`), 'secrets')).toEqual(['rules', 0, 'resources']);
  });

  it('returns the first resource and group granted, with the verbs granted there', () => {
    const rule = ruleOf(`{apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate, get]}`);
    expect(matchPermission(rule, { verbs: ['impersonate'], resources: ['users', 'uids'], apiGroups: [CORE_GROUP, 'authentication.k8s.io'] })).toEqual({
      resource: 'uids',
      apiGroup: 'authentication.k8s.io',
      verbs: ['impersonate'],
    });
    expect(matchPermission(rule, { verbs: ['impersonate'], resources: ['users'], apiGroups: [CORE_GROUP] })).toBeUndefined();
  });

  it("'any' verbs means whatever verbs the rule lists", () => {
    const rule = ruleOf(`{resources: [nodes/proxy], verbs: [get, create]}`);
    expect(matchPermission(rule, { verbs: 'any', resources: ['nodes/proxy'], apiGroups: [CORE_GROUP] })?.verbs).toEqual(['get', 'create']);
    expect(matchPermission(ruleOf(`{resources: [nodes/proxy], verbs: []}`), { verbs: 'any', resources: ['nodes/proxy'], apiGroups: [CORE_GROUP] })).toBeUndefined();
  });
});
