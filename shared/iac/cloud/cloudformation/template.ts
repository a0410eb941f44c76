// CloudFormation templates (YAML with the short intrinsic tags, or JSON) parsed with positions:
// the `yaml` package with custom tags keeps every node's offset, and `!Ref X` becomes `{"Ref": "X"}`.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ScalarTag, CollectionTag } from 'yaml';

export type Path = readonly (string | number)[];

export interface CfnTemplate {
  value: Record<string, unknown>;
  /** Line of a path, or of its nearest written ancestor. */
  lineOf(path: Path): number;
}

const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'FindInMap', 'Select', 'Split', 'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Condition', 'And', 'Or', 'Transform', 'Length', 'ToJsonString'];

/** The tags are declared so the parser accepts them; the conversion below reads them off the nodes. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]);

/** Guards against alias expansion blowing a small file up. */
const MAX_NODES = 200_000;

/** Cheap test before parsing: only text that mentions a template marker is parsed as one. */
export function mayBeCloudFormation(text: string): boolean {
  return /AWSTemplateFormatVersion|["']?Type["']?\s*:\s*["']?AWS::/.test(text);
}

/** A template: `AWSTemplateFormatVersion`, or a `Resources` map whose entries have a `Type` such as `AWS::...`. */
export function isCloudFormationTemplate(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (v.AWSTemplateFormatVersion !== undefined) return true;
  const resources = v.Resources;
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) return false;
  return Object.values(resources).some((r) => r !== null && typeof r === 'object' && typeof (r as Record<string, unknown>).Type === 'string' && /^AWS::/.test((r as Record<string, unknown>).Type as string));
}

export type CfnParse = { kind: 'template'; template: CfnTemplate } | { kind: 'not-a-template' } | { kind: 'invalid'; line: number | null; message: string };

export function parseCloudFormation(text: string): CfnParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter, uniqueKeys: false, prettyErrors: false, strict: false });
  if (doc.errors.length > 0) {
    // Multi-document streams and the like are Kubernetes territory: let that reader decide.
    if (!isCloudFormationText(text)) return { kind: 'not-a-template' };
    const error = doc.errors[0];
    return { kind: 'invalid', line: error.linePos?.[0]?.line ?? null, message: `invalid template: ${error.message.split('\n')[0]}` };
  }
  // Alias.resolve walks the document for its anchor: once per alias node is enough.
  const anchors = new Map<unknown, unknown>();
  const resolveAlias = (node: unknown): unknown => {
    if (!isAlias(node)) return node;
    if (!anchors.has(node)) anchors.set(node, node.resolve(doc as Document));
    return anchors.get(node);
  };
  let nodes = 0;
  const convert = (node: unknown): unknown => {
    if (++nodes > MAX_NODES) throw new Error(`the template expands to more than ${MAX_NODES} nodes (alias expansion?)`);
    node = resolveAlias(node);
    let value: unknown;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) out[keyText(pair.key)] = convert(pair.value);
      value = out;
    } else if (isSeq(node)) value = node.items.map(convert);
    else if (isScalar(node)) value = node.value;
    else value = null;
    const tag = (node as { tag?: string } | null)?.tag;
    return tag && tag.startsWith('!') ? intrinsic(tag.slice(1), value) : value;
  };
  let value: unknown;
  try {
    value = convert(doc.contents);
  } catch (e) {
    return { kind: 'invalid', line: null, message: (e as Error).message };
  }
  if (!isCloudFormationTemplate(value)) return { kind: 'not-a-template' };

  // Positions are looked up when a finding needs one, through per-map key indexes built on first use.
  const keyIndexes = new Map<unknown, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items) if (!index.has(keyText(pair.key))) index.set(keyText(pair.key), pair as Pair);
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  const lineAt = (node: unknown) => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : null;
  };
  return {
    kind: 'template',
    template: {
      value,
      lineOf(path) {
        let node: unknown = doc.contents;
        let line = lineAt(node) ?? 1;
        for (const segment of path) {
          node = resolveAlias(node);
          let next: unknown;
          if (isMap(node)) {
            const pair = pairOf(node, String(segment));
            if (!pair) break;
            line = lineAt(pair.key) ?? line;
            next = pair.value;
          } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
            next = node.items[segment];
            line = lineAt(next) ?? line;
          } else break;
          node = next;
        }
        return line;
      },
    },
  };
}

const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : String(key));

/** A broken file that still says what it is (for an error rather than silence). */
function isCloudFormationText(text: string): boolean {
  return /^\s*["']?AWSTemplateFormatVersion["']?\s*:/m.test(text);
}

/** `!Ref X` -> `{Ref: X}`, `!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`, `!Condition C` -> `{Condition: C}`, `!X v` -> `{"Fn::X": v}`. */
function intrinsic(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
