import jsyaml from 'js-yaml';
import { parseDocument } from 'yaml';
import { createLineLocator, type LineLocator } from './positions.ts';

/** One YAML document of a file: its value, where it starts, and a lazy field-to-line locator. */
export interface YamlDocument {
  value: unknown;
  /** 1-based file line of the document's first line. */
  firstLine: number;
  locator: LineLocator;
  /** The document's own source lines (for comment directives). */
  lines(): string[];
}

export interface SourceError {
  line: number | null;
  message: string;
}

export interface YamlStream {
  documents: YamlDocument[];
  errors: SourceError[];
}

/** Aliases can multiply a small document into a huge tree; such documents take the capped parser. */
const ALIAS_USE = /(?:^|[\s[\]{},])\*[^\s[\]{},"']/;
const QUOTED_OR_COMMENT = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|(?:^|\s)#.*$/gm;

/** An alias needs an anchor in the same document; quoted text and comments hold neither. */
function usesAliases(chunk: string): boolean {
  return chunk.includes('&') && chunk.includes('*') && ALIAS_USE.test(chunk.replace(QUOTED_OR_COMMENT, ' '));
}
export const MAX_ALIAS_COUNT = 100;
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/**
 * Splits a multi-document YAML stream at its document markers (which the YAML spec forbids inside
 * content, so this is exact) and parses each document on its own: one broken document is an error
 * entry, the others still scan. js-yaml does the parsing (fast); positions are resolved lazily.
 */
export function parseYamlStream(text: string): YamlStream {
  const documents: YamlDocument[] = [];
  const errors: SourceError[] = [];
  let chunkStart = 0;
  let chunkLine = 1;
  const take = (end: number) => {
    let chunk = text.slice(chunkStart, end);
    if (chunk.startsWith('---')) chunk = '   ' + chunk.slice(3);
    else if (chunk.startsWith('...')) chunk = '';
    if (chunk.includes('%')) chunk = chunk.replace(/^%.*$/gm, '');
    if (hasContent(chunk)) parseChunk(chunk, chunkLine, documents, errors);
    chunkLine += countNewlines(text, chunkStart, end);
    chunkStart = end;
  };
  DOCUMENT_MARKER.lastIndex = 0;
  for (let m = DOCUMENT_MARKER.exec(text); m; m = DOCUMENT_MARKER.exec(text)) {
    if (m.index > chunkStart) take(m.index);
    chunkStart = m.index;
  }
  take(text.length);
  return { documents, errors };
}

function parseChunk(chunk: string, firstLine: number, documents: YamlDocument[], errors: SourceError[]): void {
  let lines: string[] | undefined;
  const getLines = () => (lines ??= chunk.split(/\r?\n/));
  let value: unknown;
  try {
    value = usesAliases(chunk) ? loadWithAliasCap(chunk) : jsyaml.load(chunk);
  } catch (e) {
    const err = e as { mark?: { line?: number }; linePos?: { line: number }[]; message?: string };
    const rel = err.mark?.line ?? (err.linePos ? err.linePos[0].line - 1 : null);
    const reason = String((e as { reason?: string }).reason ?? err.message ?? e).split('\n')[0];
    errors.push({ line: rel === null || rel === undefined ? firstLine : firstLine + rel, message: `invalid YAML: ${reason}` });
    return;
  }
  let locator: LineLocator | undefined;
  documents.push({
    value,
    firstLine,
    get locator() {
      return (locator ??= createLineLocator(getLines(), firstLine));
    },
    lines: getLines,
  });
}

function loadWithAliasCap(chunk: string): unknown {
  const doc = parseDocument(chunk, { prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw Object.assign(new Error(e.message), { linePos: e.linePos, reason: e.message });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw Object.assign(new Error(`alias expansion exceeds ${MAX_ALIAS_COUNT} (possible alias bomb)`), {
      reason: `alias expansion exceeds ${MAX_ALIAS_COUNT} (possible alias bomb): ${(e as Error).message}`,
    });
  }
}

function hasContent(chunk: string): boolean {
  return /^[ \t]*[^\s#]/m.test(chunk);
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** JSON manifests: one document, positions through the YAML document model when needed. */
export function parseJsonDocument(text: string): YamlStream {
  try {
    const value: unknown = JSON.parse(text);
    let lines: string[] | undefined;
    let locator: LineLocator | undefined;
    const getLines = () => (lines ??= text.split(/\r?\n/));
    return {
      documents: [{ value, firstLine: 1, get locator() { return (locator ??= createLineLocator(getLines(), 1)); }, lines: getLines }],
      errors: [],
    };
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? countNewlines(text, 0, Number(pos[1])) + 1 : null;
    return { documents: [], errors: [{ line, message: `invalid JSON: ${message}` }] };
  }
}
