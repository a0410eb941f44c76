/**
 * A client for the OCI Distribution API (pull side): manifests and blobs of one registry, with the
 * registries' two authentication schemes, `Bearer` token challenges (the token endpoint named by
 * the challenge's realm, queried with service and scope, with Basic credentials when we have them)
 * and plain `Basic`. Blob redirects (to object storage or a CDN) are followed without the
 * registry's Authorization header. Credentials and tokens never appear in errors.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ImageReadError } from '../limits.ts';
import { MANIFEST_ACCEPT, sha256Digest, verifyDigest, type FetchedManifest } from '../manifest.ts';
import { quote, registryBaseUrl, type AllowedRegistry } from './allowlist.ts';
import { parseChallenge, type Challenge } from './challenge.ts';
import type { CredentialsProvider } from './credentials.ts';

export interface RegistryClientOptions {
  credentials?: CredentialsProvider;
  /** The API base URL when it is not the registry host itself (a pull-through mirror). */
  baseUrl?: string;
  /** Time to wait for response headers. */
  timeoutMs?: number;
  maxManifestBytes?: number;
}

export class RegistryAuthError extends ImageReadError {
  override name = 'RegistryAuthError';
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Authorization {
  header: string;
  expiresAt: number;
}

export class RegistryClient {
  private readonly baseUrl: string;
  private readonly authorizations = new Map<string, Authorization>();

  constructor(
    readonly registry: AllowedRegistry,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? registryBaseUrl(registry)).replace(/\/+$/, '');
  }

  /** A manifest or index by tag or digest; bytes fetched by digest are checked against it. */
  async manifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const response = await this.get(`/v2/${repository}/manifests/${reference}`, repository, { accept: MANIFEST_ACCEPT.join(', ') }, what, signal);
    const bytes = await readBounded(response, this.options.maxManifestBytes ?? 8 * 1024 * 1024, what);
    if (reference.includes(':')) verifyDigest(bytes, reference, what);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    return { mediaType, digest: reference.includes(':') ? reference : sha256Digest(bytes), bytes };
  }

  /** A blob as a stream (the caller verifies its digest while reading). */
  async blob(repository: string, digest: string, signal?: AbortSignal): Promise<Readable> {
    const response = await this.get(`/v2/${repository}/blobs/${digest}`, repository, {}, `blob ${digest} of ${repository}`, signal);
    if (!response.body) throw new ImageReadError(`blob ${digest} of ${repository}: empty response`);
    return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  }

  private async get(path: string, repository: string, headers: Record<string, string>, what: string, signal?: AbortSignal): Promise<Response> {
    const scope = `repository:${repository}:pull`;
    let authorization = this.cachedAuthorization(scope);
    let response = await this.follow(`${this.baseUrl}${path}`, headers, authorization, signal);
    if (response.status === 401) {
      const challenge = parseChallenge(response.headers.get('www-authenticate'));
      await response.body?.cancel();
      authorization = await this.authorize(challenge, scope, signal);
      response = await this.follow(`${this.baseUrl}${path}`, headers, authorization, signal);
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new RegistryAuthError(`registry ${this.registry.host} refused access to ${repository} (${response.status})`);
      }
    }
    if (response.ok) return response;
    const detail = await errorDetail(response);
    if (response.status === 404) throw new ImageReadError(`${what} not found on ${this.registry.host}${detail}`);
    throw new ImageReadError(`registry ${this.registry.host} answered ${response.status} for ${what}${detail}`);
  }

  /** Follows redirects by hand: the Authorization header goes only to the registry's own origin. */
  private async follow(url: string, headers: Record<string, string>, authorization: Authorization | null, signal?: AbortSignal): Promise<Response> {
    const origin = new URL(this.baseUrl).origin;
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const sameOrigin = target.origin === origin;
      const response = await this.fetch(target, { ...headers, ...(sameOrigin && authorization ? { authorization: authorization.header } : {}) }, signal);
      if (!REDIRECTS.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new ImageReadError(`registry ${this.registry.host} sent a redirect without a location`);
      if (hop >= MAX_REDIRECTS) throw new ImageReadError(`registry ${this.registry.host}: too many redirects`);
      const next = new URL(location, target);
      // Plain HTTP only where the registry itself is configured for it, and only on its own host name.
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && this.registry.scheme === 'http' && next.hostname === target.hostname)) {
        throw new ImageReadError(`registry ${this.registry.host} redirected to a non-HTTPS location; refused`);
      }
      target = next;
    }
  }

  private async fetch(url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timed out waiting for the registry')), this.options.timeoutMs ?? 30_000);
    try {
      return await fetch(url, {
        headers: { 'user-agent': 'shipwatch', ...headers },
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      });
    } catch (e) {
      const cause = (e as Error).cause as Error | undefined;
      throw new ImageReadError(`cannot reach registry ${this.registry.host}: ${cause?.message ?? (e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private cachedAuthorization(scope: string): Authorization | null {
    const cached = this.authorizations.get(scope) ?? this.authorizations.get('*');
    return cached && cached.expiresAt > Date.now() ? cached : null;
  }

  private async authorize(challenge: Challenge | null, scope: string, signal?: AbortSignal): Promise<Authorization> {
    const credentials = (await this.options.credentials?.(this.registry.host)) ?? null;
    if (challenge?.scheme === 'basic') {
      if (!credentials) throw new RegistryAuthError(`registry ${this.registry.host} requires credentials and none are configured`);
      const authorization = { header: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`, expiresAt: Date.now() + 3600_000 };
      this.authorizations.set('*', authorization);
      return authorization;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm) {
      throw new RegistryAuthError(`registry ${this.registry.host} asked for authentication without a usable challenge`);
    }
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryAuthError(`registry ${this.registry.host} named an invalid token realm ${quote(challenge.params.realm)}`);
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && this.registry.scheme === 'http')) {
      throw new RegistryAuthError(`registry ${this.registry.host} named a non-HTTPS token realm; refused`);
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
    const response = await this.fetch(realm, headers, signal);
    if (!response.ok) {
      await response.body?.cancel();
      throw new RegistryAuthError(`token endpoint of registry ${this.registry.host} answered ${response.status}`);
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new RegistryAuthError(`token endpoint of registry ${this.registry.host} did not answer JSON`);
    }
    const token = typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryAuthError(`token endpoint of registry ${this.registry.host} answered without a token`);
    // Registries default to 60 s; renew a little early.
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    const authorization = { header: `Bearer ${token}`, expiresAt: Date.now() + Math.max(lifetime - 10, 5) * 1000 };
    this.authorizations.set(scope, authorization);
    return authorization;
  }
}

/** The body, refusing more than `max` bytes. */
async function readBounded(response: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > max) {
    await response.body?.cancel();
    throw new ImageReadError(`${what} is larger than ${max} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > max) throw new ImageReadError(`${what} is larger than ${max} bytes`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

/** The registry's `errors[]` (code and message), short and quoted; never the request's headers. */
async function errorDetail(response: Response): Promise<string> {
  try {
    const text = (await response.text()).slice(0, 2000);
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first) return `: ${quote([first.code, first.message].filter(Boolean).join(' '))}`;
  } catch {
    // not a Distribution error body
  }
  return '';
}
