// RBAC objects in audit request bodies: bindings (roleRef, subjects) and roles (rules).
import type { AuditEvent } from './event.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const BINDING_RESOURCES: readonly string[] = ['rolebindings', 'clusterrolebindings'];
export const ROLE_RESOURCES: readonly string[] = ['roles', 'clusterroles'];

export interface Subject {
  kind: string;
  name: string;
  namespace: string;
}

export interface Binding {
  roleRef: { kind: string; name: string; apiGroup: string };
  subjects: Subject[];
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A binding change the detections evaluate: create/update/patch of a (cluster)rolebinding. */
export function isBindingChange(event: AuditEvent): boolean {
  return (event.resource === 'rolebindings' || event.resource === 'clusterrolebindings') && event.subresource === '' && (event.verb === 'create' || event.verb === 'update' || event.verb === 'patch');
}

export function isRoleChange(event: AuditEvent): boolean {
  return (event.resource === 'roles' || event.resource === 'clusterroles') && event.subresource === '' && (event.verb === 'create' || event.verb === 'update' || event.verb === 'patch');
}

/** The binding as written (patch: the stored object when logged), or null without a usable body. */
export function bindingOf(event: AuditEvent): Binding | null {
  const body = event.writtenObject;
  if (!body || !isObject(body.roleRef)) return null;
  return {
    roleRef: { kind: str(body.roleRef.kind), name: str(body.roleRef.name), apiGroup: str(body.roleRef.apiGroup) },
    subjects: (Array.isArray(body.subjects) ? body.subjects.filter(isObject) : []).map((s) => ({ kind: str(s.kind), name: str(s.name), namespace: str(s.namespace) })),
  };
}

/**
 * The explicit rules of a role as written, or null without a usable body. For an aggregated
 * ClusterRole the stored rules are filled in by the aggregation controller, so only the rules the
 * request itself wrote count.
 */
export function roleRulesOf(event: AuditEvent): PolicyRule[] | null {
  const body = event.writtenObject;
  if (!body) return null;
  let rules: unknown = body.rules;
  if (isObject(body.aggregationRule)) rules = isObject(event.requestObject) ? event.requestObject.rules : [];
  if (rules !== undefined && rules !== null && !Array.isArray(rules)) return null;
  return (Array.isArray(rules) ? rules.filter(isObject) : []).map((r) => ({
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    verbs: strings(r.verbs),
    resourceNames: strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  }));
}

/** A rule with "*" among its resources or verbs (a wildcard only in apiGroups does not count). */
export function hasWildcard(rule: PolicyRule): boolean {
  return rule.resources.includes('*') || rule.verbs.includes('*');
}

/** Whether the rule's resources cover `resource` (`pods/exec` is covered by `pods/exec` and `pods/*`). */
export function coversResource(rule: PolicyRule, resource: string): boolean {
  if (rule.resources.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && rule.resources.includes(`${resource.slice(0, slash)}/*`);
}
