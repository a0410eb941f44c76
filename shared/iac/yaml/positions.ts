import { LineCounter, parseDocument, isNode, type Node } from 'yaml';

export type Path = readonly (string | number)[];

/** Finds the 1-based line of a field path in one YAML (or JSON) document. */
export interface LineLocator {
  /** Line of the path, or of its nearest existing ancestor (the document start at worst). */
  lineOf(path: Path): number;
  /** Whether the path itself (not just an ancestor) has a known line. */
  has(path: Path): boolean;
}

export const pathKey = (path: Path): string => path.join('\u0000');

interface Frame {
  indent: number;
  path: (string | number)[];
  kind: 'map' | 'seq';
  nextIndex: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{\[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)/;

/**
 * One pass over block-style YAML lines that records the line of every key and sequence item.
 * It is an index, not a parser: the document has already been parsed, so only structure matters.
 * Flow collections and multi-line scalars are skipped (their children resolve to the parent line).
 * Returns null when the document uses constructs the index does not follow (flow root, complex keys).
 */
export function indexBlockYaml(lines: readonly string[], from: number, to: number): Map<string, number> | null {
  const index = new Map<string, number>();
  const stack: Frame[] = [];
  // A key or item whose value starts on a later line: its children sit deeper than `indent`.
  let pending: { path: (string | number)[]; indent: number } | null = { path: [], indent: -1 };
  let skipDeeperThan = -1 as number; // block scalar or multi-line flow/quoted value: skip lines indented more
  let skipUntil = null as RegExp | null;
  let rootSeen = false;

  for (let i = from; i < to; i++) {
    const raw = lines[i];
    if (skipUntil) {
      if (skipUntil.test(raw)) skipUntil = null;
      continue;
    }
    let indent = 0;
    while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
    const rest = raw.slice(indent);
    if (rest === '' || rest[0] === '#' || rest.trim() === '') continue;
    if (skipDeeperThan >= 0) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    if (!rootSeen) {
      rootSeen = true;
      index.set('', i + 1);
      if (rest[0] === '{' || rest[0] === '[' || rest[0] === '?') return null;
    }
    let col = indent;
    let content = rest;
    // A line may open several nested nodes: "- - key: value".
    for (;;) {
      while (stack.length && stack[stack.length - 1].indent > col) stack.pop();
      let top: Frame | undefined = stack[stack.length - 1];
      const isItem = content[0] === '-' && (content.length === 1 || content[1] === ' ');
      if (isItem) {
        if (!(top && top.indent === col && top.kind === 'seq')) {
          if (!pending || col < pending.indent) return null;
          top = { indent: col, path: pending.path, kind: 'seq', nextIndex: 0 };
          stack.push(top);
          pending = null;
        }
        const itemPath: (string | number)[] = [...top.path, top.nextIndex++];
        index.set(pathKey(itemPath), i + 1);
        const itemCol = col;
        let after = 1;
        while (content[after] === ' ') after++;
        const inner = content.slice(after);
        if (inner === '' || inner[0] === '#') {
          pending = { path: itemPath, indent: col + 1 };
          break;
        }
        if (/^[&!]/.test(inner) && !/\s\S/.test(inner.replace(/\s+#.*$/, ''))) {
          pending = { path: itemPath, indent: col + 1 };
          break;
        }
        col += after;
        content = inner;
        if (content[0] === '-' && (content.length === 1 || content[1] === ' ')) {
          pending = { path: itemPath, indent: col };
          continue;
        }
        if (KEY.test(content)) {
          stack.push({ indent: col, path: itemPath, kind: 'map', nextIndex: 0 });
          continue;
        }
        skipValue(content, itemCol);
        break;
      }
      const m = KEY.exec(content);
      if (!m) {
        // A plain scalar continuation or a value we do not index.
        break;
      }
      if (!(top && top.indent === col && top.kind === 'map')) {
        if (!pending || col <= pending.indent) {
          // Compact sequence under a key ("key:\n- a") closes at the key's own indent.
          if (top && top.kind === 'seq' && top.indent === col) {
            stack.pop();
            top = stack[stack.length - 1];
          }
          if (!(top && top.indent === col && top.kind === 'map')) return null;
        } else {
          top = { indent: col, path: pending.path, kind: 'map', nextIndex: 0 };
          stack.push(top);
        }
      }
      pending = null;
      const key = m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3].trimEnd();
      const keyPath: (string | number)[] = [...top.path, key];
      index.set(pathKey(keyPath), i + 1);
      const value = content.slice(m[0].length).replace(/^\s+/, '');
      if (value === '' || value[0] === '#' || (/^[&!]\S*\s*(#.*)?$/.test(value))) {
        pending = { path: keyPath, indent: col };
      } else {
        skipValue(value.replace(/^[&!]\S*\s+/, ''), col);
      }
      break;
    }
  }
  return index;

  function skipValue(value: string, col: number): void {
    const c = value[0];
    if (c === '|' || c === '>') {
      skipDeeperThan = col;
    } else if (c === '{' || c === '[') {
      if (!balanced(value)) skipDeeperThan = col;
    } else if (c === '"') {
      if (!/^"(?:[^"\\]|\\.)*"/.test(value)) skipUntil = /(^|[^\\])"/;
    } else if (c === "'") {
      if (!/^'(?:[^']|'')*'/.test(value)) skipUntil = /'(?!')/;
    } else {
      // Multi-line plain scalar continuation lines are indented deeper and carry no keys.
      skipDeeperThan = col;
    }
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '#' && i > 0 && s[i - 1] === ' ') break;
  }
  return depth <= 0;
}

/**
 * Locator over a block-YAML line index, with the full `yaml` document model as fallback.
 * `lines` are the document's own lines; `firstLine` is the 1-based file line of lines[0].
 */
export function createLineLocator(lines: readonly string[], firstLine: number): LineLocator {
  let index: Map<string, number> | null | undefined;
  let fallback: ((path: Path) => number | null) | undefined;
  const exact = (path: Path, key: string): number | null => {
    if (index === undefined) index = indexBlockYaml(lines, 0, lines.length);
    if (index) return index.get(key) ?? null;
    fallback ??= documentModelLocator(lines);
    return fallback(path);
  };
  const documentStart = (): number => {
    for (let i = 0; i < lines.length; i++) {
      const t = lines[i].trim();
      if (t !== '' && !t.startsWith('#')) return i + 1;
    }
    return 1;
  };
  return {
    has: (path) => exact(path, pathKey(path)) !== null,
    lineOf(path) {
      // Keys of every prefix, built once; then the longest prefix that has a line wins.
      const keys: string[] = new Array(path.length);
      for (let n = 0; n < path.length; n++) keys[n] = n === 0 ? String(path[0]) : `${keys[n - 1]}\u0000${path[n]}`;
      for (let n = path.length; n > 0; n--) {
        const line = exact(path.slice(0, n), keys[n - 1]);
        if (line !== null) return line + firstLine - 1;
      }
      return documentStart() + firstLine - 1;
    },
  };
}

/** Slow but complete: the `yaml` package's document model (used for flow-style and JSON documents). */
function documentModelLocator(lines: readonly string[]): (path: Path) => number | null {
  const counter = new LineCounter();
  const doc = parseDocument(lines.join('\n'), { lineCounter: counter });
  return (path) => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path as (string | number)[], true);
    if (!isNode(node) || !(node as Node).range) return null;
    // For a map value, point at the key's line: that is where the field is written.
    const range = (node as Node).range!;
    return counter.linePos(keyStartOffset(doc, path) ?? range[0]).line;
  };
}

function keyStartOffset(doc: ReturnType<typeof parseDocument>, path: Path): number | null {
  if (path.length === 0) return null;
  const parent = doc.getIn(path.slice(0, -1) as (string | number)[], true) as { items?: unknown[] } | undefined;
  const last = path[path.length - 1];
  if (!parent || !Array.isArray(parent.items)) return null;
  for (const item of parent.items as { key?: { value?: unknown; range?: number[] } }[]) {
    if (item && item.key && item.key.value === last && item.key.range) return item.key.range[0];
  }
  return null;
}
