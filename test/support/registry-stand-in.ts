/**
 * An OCI Distribution registry (pull side) on 127.0.0.1 for the registry client's tests:
 * manifests by tag or digest, blobs (optionally through a redirect to a second "object storage"
 * server, as registries on S3 or a CDN do), and either no auth, Bearer token challenges with a
 * token endpoint, or Basic auth. Every request is recorded, Authorization headers included, so
 * tests can check where credentials went.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
}

export interface RegistryStandInOptions {
  auth?: 'none' | 'bearer' | 'basic';
  /** Credentials the token endpoint (bearer) or every request (basic) requires; bearer without them issues anonymous tokens. */
  credentials?: { username: string; password: string };
  /** Blobs answered with a 307 to the storage server. */
  redirectBlobs?: boolean;
}

interface Stored {
  mediaType: string;
  bytes: Buffer;
}

export class RegistryStandIn {
  readonly requests: SeenRequest[] = [];
  readonly storageRequests: SeenRequest[] = [];
  /** Blobs sent only halfway before the connection is dropped. */
  readonly cutBlobs = new Set<string>();
  private readonly manifests = new Map<string, Stored>();
  private readonly blobs = new Map<string, Buffer>();
  private readonly tokens = new Map<string, string>();
  private readonly server: Server;
  private readonly storage: Server;
  private origin = '';
  private storageOrigin = '';

  constructor(private readonly options: RegistryStandInOptions = {}) {
    this.server = createServer((req, res) => this.answer(req, res));
    this.storage = createServer((req, res) => this.answerStorage(req, res));
  }

  /** `127.0.0.1:<port>`, as image references name it. */
  get host(): string {
    return this.origin.replace('http://', '');
  }

  async start(): Promise<this> {
    for (const server of [this.server, this.storage]) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.storageOrigin = `http://127.0.0.1:${(this.storage.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const server of [this.server, this.storage]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Stores blobs and a manifest under `repository`, by digest and (optionally) by tag. */
  push(repository: string, blobs: Map<string, Buffer>, manifest: { digest: string; mediaType: string }, tag?: string): void {
    for (const [digest, bytes] of blobs) this.blobs.set(`${repository}@${digest}`, bytes);
    const stored = { mediaType: manifest.mediaType, bytes: blobs.get(manifest.digest)! };
    this.manifests.set(`${repository}@${manifest.digest}`, stored);
    if (tag) this.manifests.set(`${repository}:${tag}`, stored);
    // Child manifests of an index are fetched by digest: every JSON blob is servable as a manifest.
    for (const [digest, bytes] of blobs) {
      const mediaType = mediaTypeOf(bytes);
      if (mediaType) this.manifests.set(`${repository}@${digest}`, { mediaType, bytes });
    }
  }

  deleteBlob(repository: string, digest: string): void {
    this.blobs.delete(`${repository}@${digest}`);
  }

  private record(list: SeenRequest[], req: IncomingMessage): SeenRequest {
    const seen = { method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization, accept: req.headers.accept };
    list.push(seen);
    return seen;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const seen = this.record(this.requests, req);
    const url = new URL(seen.path, this.origin);
    if (url.pathname === '/token') return this.issueToken(url, seen, res);
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no route' }] });
    const [, repository, kind, reference] = m;
    if (!this.authorized(repository, seen.authorization)) {
      const challenge =
        this.options.auth === 'basic' ? 'Basic realm="stand-in"' : `Bearer realm="${this.origin}/token",service="stand-in",scope="repository:${repository}:pull"`;
      return send(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': challenge });
    }
    if (kind === 'manifests') {
      const stored = this.manifests.get(`${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`);
      if (!stored) return send(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
      return send(res, 200, stored.bytes, { 'content-type': stored.mediaType });
    }
    const blob = this.blobs.get(`${repository}@${reference}`);
    if (!blob) return send(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
    if (this.options.redirectBlobs) {
      return send(res, 307, '', { location: `${this.storageOrigin}/objects/${encodeURIComponent(`${repository}@${reference}`)}?signature=stand-in` });
    }
    this.sendBlob(res, reference, blob);
  }

  private answerStorage(req: IncomingMessage, res: ServerResponse): void {
    const seen = this.record(this.storageRequests, req);
    const key = decodeURIComponent(new URL(seen.path, this.storageOrigin).pathname.replace('/objects/', ''));
    const blob = this.blobs.get(key);
    if (!blob) return send(res, 404, 'no such object');
    this.sendBlob(res, key.split('@')[1], blob);
  }

  private sendBlob(res: ServerResponse, digest: string, blob: Buffer): void {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(blob.length) });
    if (!this.cutBlobs.has(digest)) return void res.end(blob);
    res.write(blob.subarray(0, Math.floor(blob.length / 2)), () => res.destroy());
  }

  private authorized(repository: string, authorization: string | undefined): boolean {
    const { auth = 'none', credentials } = this.options;
    if (auth === 'none') return true;
    if (auth === 'basic') return authorization === basic(credentials!);
    return authorization !== undefined && this.tokens.get(authorization.replace(/^Bearer /, '')) === `repository:${repository}:pull`;
  }

  private issueToken(url: URL, seen: SeenRequest, res: ServerResponse): void {
    const { credentials } = this.options;
    if (credentials && seen.authorization !== basic(credentials)) return send(res, 401, { details: 'bad credentials' });
    const scope = url.searchParams.get('scope') ?? '';
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, scope);
    send(res, 200, { token, expires_in: 300 });
  }
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function mediaTypeOf(bytes: Buffer): string | null {
  try {
    const body = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown; manifests?: unknown; layers?: unknown };
    return typeof body.mediaType === 'string' && (body.manifests || body.layers) ? body.mediaType : null;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', ...headers, 'content-length': String(payload.length) });
  res.end(payload);
}
