import * as z from 'zod';
import { labelsOf, type JsonMap, type Manifest } from '../iac/k8s/manifest.ts';
import { groupVersionOf, resourceOf } from './resources.ts';

export const labelSelectorSchema = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'] as const;

export const resourceRuleSchema = z.object({
  apiGroups: z.array(z.string()).min(1),
  apiVersions: z.array(z.string()).min(1),
  resources: z.array(z.string()).min(1),
  operations: z.array(z.enum(OPERATIONS)).min(1),
  scope: z.enum(['Cluster', 'Namespaced', '*']).optional(),
  resourceNames: z.array(z.string()).optional(),
});

/** `spec.matchConstraints` of a policy, `spec.matchResources` of a binding. */
export const matchResourcesSchema = z.object({
  namespaceSelector: labelSelectorSchema.optional(),
  objectSelector: labelSelectorSchema.optional(),
  resourceRules: z.array(resourceRuleSchema).optional(),
  excludeResourceRules: z.array(resourceRuleSchema).optional(),
  matchPolicy: z.enum(['Exact', 'Equivalent']).optional(),
});

export type LabelSelector = z.infer<typeof labelSelectorSchema>;
export type ResourceRule = z.infer<typeof resourceRuleSchema>;
export type MatchResources = z.infer<typeof matchResourcesSchema>;

/** A scanned object as an admission request for its creation would describe it. */
export interface AdmissionTarget {
  manifest: Manifest;
  group: string;
  version: string;
  resource: string;
  /** null for kinds we cannot place (custom resources without a namespace). */
  namespaced: boolean | null;
  name: string;
  labels: Record<string, string>;
  /** The object's Namespace when the scanned set contains it, else null. */
  namespaceObject: JsonMap | null;
}

export function admissionTarget(manifest: Manifest, namespaces: ReadonlyMap<string, JsonMap>): AdmissionTarget {
  const { group, version } = groupVersionOf(manifest.apiVersion);
  const { resource, namespaced } = resourceOf(manifest.kind);
  return {
    manifest,
    group,
    version,
    resource,
    namespaced: namespaced ?? (manifest.namespace !== null ? true : null),
    name: manifest.name ?? '',
    labels: labelsOf(manifest.object.metadata),
    namespaceObject: manifest.namespace !== null ? (namespaces.get(manifest.namespace) ?? null) : null,
  };
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const hasLabel = (key: string) => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!hasLabel(key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return hasLabel(key) && values.includes(labels[key]);
      case 'NotIn':
        return !hasLabel(key) || !values.includes(labels[key]);
      case 'Exists':
        return hasLabel(key);
      case 'DoesNotExist':
        return !hasLabel(key);
    }
  });
}

/**
 * A scanned object is a CREATE of its main resource (no subresource). With `matchPolicy: Equivalent`
 * (the default) the API server converts a request to the version a rule names, so the version only
 * has to match under `Exact`.
 */
function ruleMatches(rule: ResourceRule, target: AdmissionTarget, exactVersion: boolean): boolean {
  const scope = rule.scope ?? '*';
  return (
    (rule.operations.includes('CREATE') || rule.operations.includes('*')) &&
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(target.group)) &&
    (!exactVersion || rule.apiVersions.includes('*') || rule.apiVersions.includes(target.version)) &&
    rule.resources.some((r) => r === '*' || r === '*/*' || r === target.resource) &&
    (scope === '*' || target.namespaced === null || (scope === 'Namespaced') === target.namespaced) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(target.name))
  );
}

/**
 * The namespace selector needs the labels of the object's Namespace, which an offline scan only has
 * when that Namespace is among the scanned files; otherwise the selector is taken as matching.
 * A Namespace is matched on its own labels, other cluster-scoped objects always match (as in the API server).
 */
function namespaceSelectorMatches(selector: LabelSelector, target: AdmissionTarget): boolean {
  if (target.manifest.kind === 'Namespace' && target.group === '') return selectorMatches(selector, target.labels);
  if (target.namespaced === false || target.namespaceObject === null) return true;
  return selectorMatches(selector, labelsOf(target.namespaceObject.metadata));
}

/** Whether constraints select the object; absent resourceRules do not constrain (a binding's matchResources). */
export function matchesResources(match: MatchResources, target: AdmissionTarget): boolean {
  const exactVersion = match.matchPolicy === 'Exact';
  if (match.resourceRules && !match.resourceRules.some((rule) => ruleMatches(rule, target, exactVersion))) return false;
  if (match.excludeResourceRules?.some((rule) => ruleMatches(rule, target, exactVersion))) return false;
  if (match.objectSelector && !selectorMatches(match.objectSelector, target.labels)) return false;
  if (match.namespaceSelector && !namespaceSelectorMatches(match.namespaceSelector, target)) return false;
  return true;
}
