import { describe, expect, it } from 'vitest';
import { AuditInputError, eventsOfEventList, parseAuditLines } from '../../shared/audit/parse.ts';
import { auditEvent, jsonLines } from './events.ts';

const a = auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: 'a' });
const b = auditEvent({ verb: 'list', resource: 'secrets', namespace: 'shop' });

describe('parseAuditLines', () => {
  it('reads JSON lines, skipping blank lines, with CRLF and a BOM', () => {
    const text = '\uFEFF' + JSON.stringify(a) + '\r\n\r\n' + JSON.stringify(b) + '\r\n';
    const parsed = parseAuditLines(text);
    expect(parsed.events).toEqual([a, b]);
    expect(parsed.lines).toEqual([1, 3]);
    expect(parsed.errors).toEqual([]);
  });

  it('reports malformed lines by line number and keeps the good ones', () => {
    const text = [JSON.stringify(a), '{"kind":"Event",', 'plain text', JSON.stringify(b)].join('\n');
    const parsed = parseAuditLines(text);
    expect(parsed.events).toEqual([a, b]);
    expect(parsed.lines).toEqual([1, 4]);
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(parsed.errors[0].message).toMatch(/^not JSON: /);
  });

  it('reads an EventList on one line or pretty-printed, v1beta1 items getting the list type', () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1beta1', metadata: {}, items: [{ auditID: 'x1', verb: 'get', stage: 'ResponseComplete' }, b] };
    for (const text of [JSON.stringify(list), JSON.stringify(list, null, 2)]) {
      const parsed = parseAuditLines(text);
      expect(parsed.errors).toEqual([]);
      expect(parsed.events).toHaveLength(2);
      expect(parsed.events[0]).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1', auditID: 'x1' });
      expect(parsed.events[1]).toEqual(b);
    }
  });

  it('reads a JSON array of events and one pretty-printed event', () => {
    expect(parseAuditLines(JSON.stringify([a, b], null, 2)).events).toEqual([a, b]);
    expect(parseAuditLines(JSON.stringify(a, null, 2)).events).toEqual([a]);
  });

  it('a broken pretty-printed document falls back to line errors, never throws', () => {
    const parsed = parseAuditLines('{\n  "kind": "EventList",\n  "items": [\n');
    expect(parsed.events).toEqual([]);
    expect(parsed.errors.length).toBeGreaterThan(0);
  });

  it('an EventList of the wrong version is an error on its line', () => {
    const parsed = parseAuditLines(jsonLines([a, { kind: 'EventList', apiVersion: 'audit.k8s.io/v2', items: [] }]));
    expect(parsed.events).toEqual([a]);
    expect(parsed.errors).toEqual([{ line: 2, message: 'expected apiVersion audit.k8s.io/v1 or v1beta1, got "audit.k8s.io/v2"' }]);
  });
});

describe('eventsOfEventList (webhook body)', () => {
  it('returns the items, malformed ones in place', () => {
    const events = eventsOfEventList({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [a, 'junk', null, b] });
    expect(events).toEqual([a, 'junk', null, b]);
    expect(eventsOfEventList({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: null })).toEqual([]);
  });

  it.each([
    ['null', null, 'expected an audit EventList object, got null'],
    ['an array', [a], 'expected an audit EventList object, got an array'],
    ['a single Event', { kind: 'Event', apiVersion: 'audit.k8s.io/v1' }, 'expected kind "EventList", got "Event"'],
    ['a list of another API', { kind: 'EventList', apiVersion: 'v1', items: [] }, 'expected apiVersion audit.k8s.io/v1 or v1beta1, got "v1"'],
    ['items that are not an array', { kind: 'EventList', items: {} }, 'EventList "items" is not an array'],
  ])('rejects %s', (_label, body, message) => {
    expect(() => eventsOfEventList(body)).toThrow(new AuditInputError(message));
  });
});
