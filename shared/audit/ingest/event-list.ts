// The body the API server's audit webhook posts: an `audit.k8s.io/v1` (or v1beta1) EventList.
// Only the envelope is checked here; each item is handed on as it is, so one malformed item is
// rejected and counted by the processor while the good ones around it are still evaluated.

const EVENT_LIST_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']);

export type EventListParse = { ok: true; items: unknown[] } | { ok: false; reason: string };

/** The items of an EventList body, or why the body is not one. */
export function parseEventList(body: string): EventListParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    // The parser's message quotes the input; only its position is repeated back.
    const position = /at position (\d+)/.exec((e as Error).message)?.[1];
    return { ok: false, reason: position === undefined ? 'body is not valid JSON' : `body is not valid JSON (error at character ${position})` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, reason: 'body is not a JSON object (expected an audit.k8s.io EventList)' };
  const list = parsed as { kind?: unknown; apiVersion?: unknown; items?: unknown };
  if (list.kind !== undefined && list.kind !== 'EventList') return { ok: false, reason: 'kind must be EventList' };
  if (list.apiVersion !== undefined && !(typeof list.apiVersion === 'string' && EVENT_LIST_VERSIONS.has(list.apiVersion))) {
    return { ok: false, reason: 'apiVersion must be audit.k8s.io/v1 or audit.k8s.io/v1beta1' };
  }
  // The API server omits `items` when a batch is empty (omitempty).
  if (list.items === undefined || list.items === null) return { ok: true, items: [] };
  if (!Array.isArray(list.items)) return { ok: false, reason: 'items must be an array' };
  return { ok: true, items: list.items };
}
