/**
 * The machinery under the GitHub and GitLab stand-ins: a `node:http` server on 127.0.0.1 with a
 * route table, a record of every request, scripted interruptions (the next N calls of a route
 * answer 502, or a rate limit), and an authorization hook.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path as it came in (still percent-encoded), without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the text of other bodies; undefined without a body. */
  body: unknown;
  /** The route key that matched, e.g. `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`. */
  route?: string;
  status?: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects and arrays go out as JSON, strings as text, Buffers as they are. */
  body?: unknown;
}

export interface RouteRequest {
  /** The request path as it came in (percent-encoded), for Link headers. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The stand-in's own base URL, for Link headers and redirects. */
  origin: string;
}

export type RouteHandler = (request: RouteRequest) => Reply | Promise<Reply>;

/**
 * `METHOD /path/{param}` or `METHOD /path/:param`; a parameter named `path` takes the rest of the
 * path (GitHub's contents route). Parameters arrive percent-decoded.
 */
export type Routes = Record<string, RouteHandler>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({ status, body, headers });

export class HttpStandIn {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly compiled: { key: string; method: string; segments: string[] }[];
  private readonly interruptions = new Map<string, Reply[]>();
  private origin = '';

  constructor(
    private readonly routes: Routes,
    /** Null when the request may go on, else the refusal (401, or 404 for a repository the caller cannot see). */
    private readonly authorize: (route: string, request: RouteRequest) => Reply | null = () => null,
  ) {
    this.compiled = Object.keys(routes).map((key) => {
      const [method, pattern] = key.split(' ');
      return { key, method, segments: pattern.split('/').slice(1) };
    });
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        let reply: Reply;
        const recorded = this.record(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks));
        try {
          reply = await this.answer(recorded);
        } catch (e) {
          reply = json(500, { message: `stand-in failure: ${(e as Error).stack}` });
        }
        recorded.status = reply.status;
        send(res, reply);
      });
    });
  }

  get url(): string {
    return this.origin;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  /** The next `count` requests of `route` get `reply` instead of an answer. */
  interruptNext(route: string, count: number, reply: Reply): void {
    if (!(route in this.routes)) throw new Error(`no route "${route}"`);
    const queue = this.interruptions.get(route) ?? [];
    for (let i = 0; i < count; i++) queue.push(reply);
    this.interruptions.set(route, queue);
  }

  /** The next `count` requests of `route` answer `status` (a bad gateway by default). */
  failNext(route: string, count = 1, status = 502): void {
    this.interruptNext(route, count, { status, body: `stand-in: injected ${status}`, headers: { 'content-type': 'text/plain' } });
  }

  /** Recorded requests of one route. */
  requestsOf(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  private record(method: string, rawUrl: string, headers: IncomingHttpHeaders, raw: Buffer): RecordedRequest {
    const url = new URL(rawUrl, 'http://stand-in');
    let body: unknown;
    if (raw.length) {
      const text = raw.toString('utf8');
      try {
        body = String(headers['content-type']).includes('json') ? JSON.parse(text) : text;
      } catch {
        body = text;
      }
    }
    const recorded: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
    this.requests.push(recorded);
    return recorded;
  }

  private async answer(recorded: RecordedRequest): Promise<Reply> {
    const segments = recorded.path.split('/').slice(1);
    for (const route of this.compiled) {
      if (route.method !== recorded.method) continue;
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      recorded.route = route.key;
      const request: RouteRequest = { path: recorded.path, params, query: new URLSearchParams(recorded.query), headers: recorded.headers, body: recorded.body, origin: this.origin };
      const interruption = this.interruptions.get(route.key)?.shift();
      if (interruption) return interruption;
      return this.authorize(route.key, request) ?? (await this.routes[route.key](request));
    }
    return json(404, { message: 'Not Found' });
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    const name = part.startsWith(':') ? part.slice(1) : part.startsWith('{') && part.endsWith('}') ? part.slice(1, -1) : null;
    if (name === 'path' && i === pattern.length - 1) {
      if (actual.length <= i) return null;
      params.path = actual.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    if (i >= actual.length) return null;
    if (name) params[name] = decodeURIComponent(actual[i]);
    else if (part !== actual[i]) return null;
  }
  return pattern.length === actual.length ? params : null;
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | string | undefined;
  if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (typeof reply.body === 'string') {
    payload = reply.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Page `page` (1-based) of `items`, `perPage` at a time. */
export function pageOf<T>(items: T[], page: number, perPage: number): T[] {
  return items.slice((page - 1) * perPage, page * perPage);
}

/** A positive integer query parameter, clamped to `max`. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(query.get(name));
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

/** RFC 8288 `Link` header for a paginated list: next/last (and prev/first past page one). */
export function linkHeader(origin: string, path: string, query: URLSearchParams, page: number, lastPage: number): string {
  const at = (p: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    return `<${origin}${path}?${q}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  return links.join(', ');
}

/**
 * A service stand-in (GitHub, GitLab) built on one HttpStandIn: where it listens, what it was
 * asked, injected failures, start and stop. Subclasses give the routes and who may call them.
 */
export abstract class RoutedStandIn<R extends string> {
  private server?: HttpStandIn;

  protected abstract routes(): Routes;
  /** Null when the request may go on, else the refusal. */
  protected abstract authorize(route: string, request: RouteRequest): Reply | null;

  /** Created on first use, so subclass fields the routes read are set by then. */
  protected get http(): HttpStandIn {
    return (this.server ??= new HttpStandIn(this.routes(), (route, request) => this.authorize(route, request)));
  }

  get url(): string {
    return this.http.url;
  }

  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  requestsOf(route: R): RecordedRequest[] {
    return this.http.requestsOf(route);
  }

  /** The next `count` requests of `route` answer `status` (502 by default). */
  failNext(route: R, count = 1, status = 502): void {
    this.http.failNext(route, count, status);
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}
