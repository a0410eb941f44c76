import type { ResourceRef } from '../../findings/finding.ts';
import type { LineLocator, Path } from '../yaml/positions.ts';

export type JsonMap = Record<string, unknown>;

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asMap = (v: unknown): JsonMap | undefined => (isMap(v) ? v : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Strings from a list, ignoring entries of other types (bad input must not throw). */
export const stringsOf = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

/** Reads a nested field without throwing on missing or mistyped intermediate values. */
export function getIn(root: unknown, path: Path): unknown {
  let cur = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isMap(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

/** One Kubernetes object found in a scanned file (a List's items are objects of their own). */
export interface Manifest {
  /** Path relative to the scan root ("-" for stdin). */
  file: string;
  object: JsonMap;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  /** Where this object sits inside its YAML document (non-empty for items of a `kind: List`). */
  basePath: Path;
  locator: LineLocator;
  /** Source lines of the document, for `# shipwatch:skip=` comments. */
  lines(): string[];
  /** 1-based file line of lines()[0]. */
  firstLine: number;
}

export function resourceRef(m: Manifest): ResourceRef {
  return { apiVersion: m.apiVersion, kind: m.kind, namespace: m.namespace, name: m.name };
}

/** Line of a path inside the manifest's object. */
export function lineOf(m: Manifest, path: Path): number {
  return m.locator.lineOf([...m.basePath, ...path]);
}

export const annotationsOf = (obj: JsonMap): JsonMap => asMap(asMap(obj.metadata)?.annotations) ?? {};
export const labelsOf = (meta: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asMap(asMap(meta)?.labels) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
};
