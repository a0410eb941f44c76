import { isMap, lineOf, type JsonMap, type Manifest } from '../iac/k8s/manifest.ts';
import type { ScanError } from '../scan/result.ts';
import { celInput } from './cel.ts';
import { admissionTarget } from './match.ts';
import type { PolicySubject } from './policy.ts';

/** Namespaces of the scanned set by name, for namespace selectors and `namespaceObject`. */
export function scannedNamespaces(manifests: readonly Manifest[]): Map<string, JsonMap> {
  const namespaces = new Map<string, JsonMap>();
  for (const m of manifests) if (m.kind === 'Namespace' && m.apiVersion === 'v1' && m.name !== null) namespaces.set(m.name, m.object);
  return namespaces;
}

/**
 * A scanned object as an admission policy sees it: the CREATE request of the object, by nobody
 * (an offline scan has no user), with no old object and no parameters.
 */
export function policySubject(manifest: Manifest, namespaces: ReadonlyMap<string, JsonMap>): PolicySubject {
  const target = admissionTarget(manifest, namespaces);
  return {
    target,
    object: celInput(manifest.object),
    namespaceObject: celInput(target.namespaceObject),
    request: {
      operation: 'CREATE',
      kind: { group: target.group, version: target.version, kind: manifest.kind },
      resource: { group: target.group, version: target.version, resource: target.resource },
      subResource: '',
      name: target.name,
      namespace: manifest.namespace ?? '',
      userInfo: {},
      dryRun: false,
    },
  };
}

/** The part of a field path that exists in the object: a violation points at the deepest field it names. */
export function existingPath(object: JsonMap, path: readonly string[]): string[] {
  const existing: string[] = [];
  let current: unknown = object;
  for (const key of path) {
    if (!isMap(current) || !Object.hasOwn(current, key)) break;
    existing.push(key);
    current = current[key];
  }
  return existing;
}

export function objectError(manifest: Manifest, message: string): ScanError {
  return { file: manifest.file, line: lineOf(manifest, []), message: `${message} (${manifest.kind} "${manifest.name ?? '?'}")` };
}
