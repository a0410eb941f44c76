// A stand-in for Slack on a loopback port: the incoming webhook `/services/T000/B000/XXX` and the
// Web API's `chat.postMessage`. It records every request, and can rate-limit the next ones.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEBHOOK_PATH = '/services/T000/B000/XXX';

export interface ReceivedSlackRequest {
  via: 'webhook' | 'api';
  path: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The HTTP status this server answered (429 when rate-limited). */
  status: number;
  /** Whether Slack took the message (HTTP 200 and, for the Web API, `ok: true`). */
  accepted: boolean;
  authorization: string | null;
  /** The message, `blocks` parsed from JSON whether it came as JSON or as a form field. */
  body: Record<string, unknown>;
}

export interface FakeSlack {
  /** Full incoming webhook URL. */
  webhookUrl: string;
  /** Web API base URL (ends in `/api/`). */
  apiUrl: string;
  /** Every request, rate-limited ones included. */
  requests: ReceivedSlackRequest[];
  /** The messages Slack accepted. */
  readonly delivered: ReceivedSlackRequest[];
  /** Answers the next `count` requests with 429 and `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** Answers the next `count` requests with this status (webhook) or `{ok:false}` (Web API). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startSlackServer(): Promise<FakeSlack> {
  const requests: ReceivedSlackRequest[] = [];
  let rateLimited = 0;
  let retryAfter = 1;
  let failing = 0;
  let failStatus = 500;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    const via = path === WEBHOOK_PATH ? 'webhook' : path === '/api/chat.postMessage' ? 'api' : null;
    if (req.method !== 'POST' || !via) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
      return;
    }
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const record = (status: number, accepted = false) =>
      requests.push({ via, path, at: Date.now(), status, accepted, authorization: req.headers.authorization ?? null, body: body ?? {} });

    if (rateLimited > 0) {
      rateLimited--;
      record(429);
      const answer = via === 'api' ? JSON.stringify({ ok: false, error: 'ratelimited' }) : 'rate_limited';
      res.writeHead(429, { 'retry-after': String(retryAfter), 'content-type': via === 'api' ? 'application/json' : 'text/plain' }).end(answer);
      return;
    }
    if (failing > 0) {
      failing--;
      record(failStatus);
      if (via === 'api') json(res, 200, { ok: false, error: 'internal_error' });
      else res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('internal_error');
      return;
    }
    if (via === 'webhook') {
      const problem = !body ? 'invalid_payload' : !body.text && !body.blocks ? 'no_text' : null;
      record(problem ? 400 : 200, !problem);
      res.writeHead(problem ? 400 : 200, { 'content-type': 'text/plain' }).end(problem ?? 'ok');
      return;
    }
    const problem = !/^Bearer xox[bp]-/.test(req.headers.authorization ?? '')
      ? 'not_authed'
      : !body?.channel
        ? 'channel_not_found'
        : !body.text && !body.blocks
          ? 'no_text'
          : null;
    record(200, !problem);
    if (problem) json(res, 200, { ok: false, error: problem });
    else json(res, 200, { ok: true, channel: body?.channel, ts: `${Math.floor(Date.now() / 1000)}.${String(requests.length).padStart(6, '0')}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    webhookUrl: `${base}${WEBHOOK_PATH}`,
    apiUrl: `${base}/api/`,
    requests,
    get delivered() {
      return requests.filter((r) => r.accepted);
    },
    rateLimitNext(count, seconds = 1) {
      rateLimited = count;
      retryAfter = seconds;
    },
    failNext(count, status = 500) {
      failing = count;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON (webhook) or form-encoded (Web API client) bodies; `blocks` is JSON inside a form field. */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    const body: Record<string, unknown> = contentType.includes('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(raw))
      : (JSON.parse(raw) as Record<string, unknown>);
    if (typeof body.blocks === 'string') body.blocks = JSON.parse(body.blocks) as unknown;
    return body;
  } catch {
    return null;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
