// Audit input formats: the API server's log backend (one JSON Event per line, the same format EKS
// ships to CloudWatch) and the webhook backend's EventList document.
import { AUDIT_API_VERSIONS } from './event.ts';

/** The input is not what the caller said it would be (webhook: HTTP 400 with this message). */
export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The events of an EventList (v1 or v1beta1). Items keep their position, malformed ones included
 * (the processor rejects and reports them one by one); items without their own kind/apiVersion
 * get the list's, as the API server omits them inside a list.
 */
export function eventsOfEventList(body: unknown): unknown[] {
  if (!isObject(body)) throw new AuditInputError(`expected an audit EventList object, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`);
  if (body.kind !== undefined && body.kind !== 'EventList') throw new AuditInputError(`expected kind "EventList", got "${String(body.kind).slice(0, 64)}"`);
  const apiVersion = body.apiVersion;
  if (apiVersion !== undefined && !(AUDIT_API_VERSIONS as readonly unknown[]).includes(apiVersion)) {
    throw new AuditInputError(`expected apiVersion audit.k8s.io/v1 or v1beta1, got "${String(apiVersion).slice(0, 64)}"`);
  }
  if (body.items === undefined || body.items === null) return [];
  if (!Array.isArray(body.items)) throw new AuditInputError('EventList "items" is not an array');
  return body.items.map((item) => {
    if (!isObject(item) || (item.kind !== undefined && item.apiVersion !== undefined)) return item;
    return { ...item, kind: item.kind ?? 'Event', apiVersion: item.apiVersion ?? apiVersion };
  });
}

export interface ParsedAuditText {
  events: unknown[];
  /** 1-based line of each event (for an EventList document: the line its document starts on). */
  lines: number[];
  /** Lines that are not JSON, or a document that is neither an event nor an EventList. */
  errors: { line: number; message: string }[];
  /** Line breaks in the text, so a caller feeding chunks knows the next chunk's first line. */
  lineBreaks: number;
}

/**
 * Audit log text: JSON lines (malformed lines are reported and skipped, never fatal), a one-line
 * or pretty-printed EventList, a JSON array of events, or one pretty-printed event.
 */
export function parseAuditLines(text: string): ParsedAuditText {
  const out: ParsedAuditText = { events: [], lines: [], errors: [], lineBreaks: 0 };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLineEnd = body.indexOf('\n');
  const firstLine = (firstLineEnd < 0 ? body : body.slice(0, firstLineEnd)).trim();
  // A first line that is only the start of a JSON value: a pretty-printed document.
  if ((firstLine === '{' || firstLine === '[' || firstLine.endsWith('{') || firstLine.endsWith('[')) && !parses(firstLine)) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch {
      doc = undefined;
    }
    if (doc !== undefined) {
      addDocument(out, doc, 1);
      for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) out.lineBreaks++;
      return out;
    }
  }
  let line = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    else out.lineBreaks++;
    line++;
    let content = body.slice(start, end);
    start = end + 1;
    // Nearly every line is one event starting with "{": skip the blank-line checks for those.
    if (content.charCodeAt(0) !== 0x7b) {
      if (content.trim() === '') continue;
    }
    if (content.charCodeAt(content.length - 1) === 0x0d) content = content.slice(0, -1);
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (e) {
      out.errors.push({ line, message: `not JSON: ${(e as Error).message}` });
      continue;
    }
    addDocument(out, value, line);
  }
  return out;
}

function addDocument(out: ParsedAuditText, doc: unknown, line: number): void {
  if (isObject(doc) && doc.kind === 'EventList') {
    try {
      for (const event of eventsOfEventList(doc)) {
        out.events.push(event);
        out.lines.push(line);
      }
    } catch (e) {
      out.errors.push({ line, message: (e as Error).message });
    }
    return;
  }
  if (Array.isArray(doc)) {
    for (const event of doc) {
      out.events.push(event);
      out.lines.push(line);
    }
    return;
  }
  out.events.push(doc);
  out.lines.push(line);
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
