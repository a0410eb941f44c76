// What an exec/attach request runs: the `command=` query parameters of its requestURI (the only
// place a Metadata-level event carries it), else `requestObject.command` (PodExecOptions).
import type { AuditEvent } from './event.ts';

export interface ExecRequest {
  /** argv as sent ([] for attach or when absent). */
  argv: string[];
  /** argv joined with spaces. */
  commandLine: string;
  container: string;
  tty: boolean;
  stdin: boolean;
}

export function execRequestOf(event: AuditEvent): ExecRequest {
  const uri = event.requestURI;
  const q = uri.indexOf('?');
  // URLSearchParams decodes %XX and `+` as a space and never throws on malformed escapes.
  const params = new URLSearchParams(q >= 0 ? uri.slice(q + 1) : '');
  let argv = params.getAll('command');
  const body = event.requestObject as { command?: unknown; container?: unknown; tty?: unknown; stdin?: unknown } | null | undefined;
  const bodyObject = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : null;
  if (argv.length === 0 && bodyObject && Array.isArray(bodyObject.command)) argv = bodyObject.command.filter((c): c is string => typeof c === 'string');
  const flag = (name: string, fromBody: unknown) => params.get(name) === 'true' || params.get(name) === '1' || fromBody === true;
  return {
    argv,
    commandLine: argv.join(' '),
    container: params.get('container') ?? (typeof bodyObject?.container === 'string' ? bodyObject.container : ''),
    tty: flag('tty', bodyObject?.tty),
    stdin: flag('stdin', bodyObject?.stdin),
  };
}
