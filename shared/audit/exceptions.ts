// User-defined exceptions (§0.3, `audit.exceptions` in .shipwatch.yaml): field matchers over the
// event and the match. An exception applies when every field it names matches; it suppresses the
// finding (kept, named in `audit.suppressedBy`), never drops it.
import type { AuditEvent } from './event.ts';
import { CidrSet } from './event.ts';
import type { DetectionMatch } from './detection.ts';
import { globMatcher } from './glob.ts';
import type { AuditExceptionConfig } from './settings.ts';

export interface CompiledException {
  detection: string;
  /** `name` from the configuration, else `audit.exceptions[<index>]`. */
  name: string;
  reason: string;
  applies(event: AuditEvent, match: DetectionMatch): boolean;
}

type Test = (event: AuditEvent, match: DetectionMatch) => boolean;

const values = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

export function compileExceptions(entries: readonly AuditExceptionConfig[]): CompiledException[] {
  return entries.map((entry, index) => {
    const tests: Test[] = [];
    const m = entry.match;
    const glob = (v: string | string[] | undefined, read: (event: AuditEvent, match: DetectionMatch) => string) => {
      if (v === undefined) return;
      const matches = globMatcher(values(v));
      tests.push((e, mt) => matches(read(e, mt)));
    };
    glob(m.user, (e) => e.user.username);
    glob(m.namespace, (e, mt) => mt.resource?.namespace ?? e.namespace);
    glob(m.name, (e, mt) => mt.resource?.name ?? e.name);
    glob(m.resource, (e) => (e.subresource ? `${e.resource}/${e.subresource}` : e.resource));
    glob(m.verb, (e) => e.verb);
    glob(m.userAgent, (e) => e.userAgent);
    glob(m.command, (_, mt) => mt.command ?? '');
    if (m.group !== undefined) {
      const matches = globMatcher(values(m.group));
      tests.push((e) => e.user.groups.some(matches));
    }
    if (m.image !== undefined) {
      const matches = globMatcher(values(m.image));
      tests.push((_, mt) => (mt.images?.length ?? 0) > 0 && mt.images!.every(matches));
    }
    if (m.sourceIP !== undefined) {
      const cidrs = new CidrSet(values(m.sourceIP));
      tests.push((e) => cidrs.has(e.clientIP));
    }
    return {
      detection: entry.detection,
      name: entry.name ?? `audit.exceptions[${index}]`,
      reason: entry.reason,
      applies: (event, match) => tests.every((t) => t(event, match)),
    };
  });
}
