// The body the API server's audit webhook posts: an `audit.k8s.io/v1` (or v1beta1) EventList.
// Only the envelope is checked here; each item is handed on as it is, so one malformed item is
// rejected and counted by the processor while the good ones around it are still evaluated.
import { AuditInputError, eventsOfEventList } from '../parse.ts';

export type EventListParse = { ok: true; items: unknown[] } | { ok: false; reason: string };

/** The items of an EventList body, or why the body is not one (the reason goes back to the sender). */
export function parseEventList(body: string): EventListParse {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    // The parser's message quotes the input; only its position is repeated back.
    const position = /at position (\d+)/.exec((e as Error).message)?.[1];
    return { ok: false, reason: position === undefined ? 'body is not valid JSON' : `body is not valid JSON (error at character ${position})` };
  }
  try {
    return { ok: true, items: eventsOfEventList(parsed) };
  } catch (e) {
    if (e instanceof AuditInputError) return { ok: false, reason: e.message };
    throw e;
  }
}
