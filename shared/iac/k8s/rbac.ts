import type { RuleMeta } from '../../rules/registry.ts';
import type { Path } from '../yaml/positions.ts';
import { asArray, isMap, stringsOf, type JsonMap, type Manifest } from './manifest.ts';
import { k8sRule, type K8sHit } from './rule.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io/';

/** The core API group, meant when a rule omits `apiGroups`. */
export const CORE_GROUP = '';

/** One entry of a Role/ClusterRole `rules` list. */
export interface RbacRule {
  /** Path of the entry inside the object (`rules[i]`). */
  path: Path;
  raw: JsonMap;
  verbs: string[];
  resources: string[];
  apiGroups: string[];
  resourceNames: string[];
}

const isRbacKind = (m: Manifest, kinds: readonly string[]) => kinds.includes(m.kind) && m.apiVersion.startsWith(RBAC_GROUP);
export const isRole = (m: Manifest): boolean => isRbacKind(m, ['Role', 'ClusterRole']);
export const isBinding = (m: Manifest): boolean => isRbacKind(m, ['RoleBinding', 'ClusterRoleBinding']);

/** Names starting with `system:` belong to Kubernetes components; the RBAC rules leave them alone (catalog §0). */
export const isSystemReserved = (m: Manifest): boolean => m.name?.startsWith('system:') ?? false;

/** Every rule of a Role/ClusterRole (none for other kinds), with its path. */
export function* rulesOf(m: Manifest): Generator<RbacRule> {
  if (!isRole(m)) return;
  const entries = asArray(m.object.rules);
  for (let i = 0; i < entries.length; i++) {
    const raw = entries[i];
    if (!isMap(raw)) continue;
    yield {
      path: ['rules', i],
      raw,
      verbs: stringsOf(raw.verbs),
      resources: stringsOf(raw.resources),
      // Omitted apiGroups means the core group.
      apiGroups: raw.apiGroups === undefined || raw.apiGroups === null ? [CORE_GROUP] : stringsOf(raw.apiGroups),
      resourceNames: stringsOf(raw.resourceNames),
    };
  }
}

/**
 * Whether one entry of `resources` covers the resource asked for. `*` covers everything,
 * `pods/*` every subresource of pods, and (as in the API server) `*\/exec` that subresource of
 * every resource. Asking for `<resource>/*` means "any subresource of it".
 */
function covers(entry: string, wanted: string): boolean {
  if (entry === '*' || entry === wanted) return true;
  const [resource, sub] = splitResource(wanted);
  const [entryResource, entrySub] = splitResource(entry);
  if (sub === undefined || entrySub === undefined) return false;
  if (sub === '*') return entryResource === resource || entryResource === '*';
  return (entryResource === resource && entrySub === '*') || (entryResource === '*' && entrySub === sub);
}

function splitResource(r: string): [string, string | undefined] {
  const slash = r.indexOf('/');
  return slash < 0 ? [r, undefined] : [r.slice(0, slash), r.slice(slash + 1)];
}

/** Whether the rule reaches a resource of an API group, whatever its verbs. */
export function grantsResource(rule: RbacRule, resource: string, apiGroup: string): boolean {
  return (
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(apiGroup)) && rule.resources.some((entry) => covers(entry, resource))
  );
}

/**
 * Whether the rule grants a verb on a resource of an API group (catalog §0). `resourceNames` only
 * narrows the grant when a `resourceName` is asked for: the rule must then list none or list it.
 */
export function grants(rule: RbacRule, verb: string, resource: string, apiGroup: string, resourceName?: string): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(verb)) return false;
  if (resourceName !== undefined && rule.resourceNames.length > 0 && !rule.resourceNames.includes(resourceName)) return false;
  return grantsResource(rule, resource, apiGroup);
}

/** Path of the first `resources` entry that covers the resource (the line a finding points at). */
export function resourcePath(rule: RbacRule, resource: string): Path {
  const index = asArray(rule.raw.resources).findIndex((entry) => typeof entry === 'string' && covers(entry, resource));
  return index < 0 ? [...rule.path, 'resources'] : [...rule.path, 'resources', index];
}

/**
 * What a permission rule looks for: some of these verbs ('any': whatever verbs the rule lists) on
 * some of these resources in some of these groups, optionally of one named object.
 */
export interface Permission {
  verbs: readonly string[] | 'any';
  resources: readonly string[];
  apiGroups: readonly string[];
  resourceName?: string;
}

/** The first (resource, group) of the permission that the rule grants, with the verbs it grants there. */
export function matchPermission(rule: RbacRule, p: Permission): { resource: string; apiGroup: string; verbs: string[] } | undefined {
  const wanted = p.verbs === 'any' ? rule.verbs : p.verbs;
  for (const apiGroup of p.apiGroups) {
    for (const resource of p.resources) {
      const verbs = wanted.filter((verb) => grants(rule, verb, resource, apiGroup, p.resourceName));
      if (verbs.length > 0) return { resource, apiGroup, verbs };
    }
  }
  return undefined;
}

const groupLabel = (g: string) => (g === CORE_GROUP ? 'the core group' : g);

/**
 * A rule that fires on every Role/ClusterRole rule granting one of the permissions (one hit per
 * rules entry), skipping `system:` objects; `applies` narrows which roles are looked at.
 */
export function permissionRule(
  def: Omit<RuleMeta, 'engine'> & { permissions: readonly Permission[]; applies?: (m: Manifest) => boolean },
) {
  const { permissions, applies = () => true, ...meta } = def;
  return k8sRule({
    ...meta,
    *check({ manifest }): Generator<K8sHit> {
      if (!isRole(manifest) || isSystemReserved(manifest) || !applies(manifest)) return;
      for (const rule of rulesOf(manifest)) {
        for (const p of permissions) {
          const match = matchPermission(rule, p);
          if (!match) continue;
          const verbs = rule.verbs.includes('*') ? `every verb (*)` : match.verbs.join(', ');
          yield {
            path: resourcePath(rule, match.resource),
            message: `rules[${rule.path[1]}] grants ${verbs} on ${match.resource} in ${groupLabel(match.apiGroup)}`,
          };
          break;
        }
      }
    },
  });
}
