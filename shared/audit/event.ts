// One Kubernetes audit event (audit.k8s.io v1 or v1beta1), normalised per catalog §0.1 so that
// detections read plain fields and never walk a path that may be missing.
import { isIP } from 'node:net';

export const AUDIT_API_VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'] as const;

/** Subresources whose request streams: evaluated on the first of ResponseStarted / ResponseComplete. */
export const STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward', 'proxy']);

export type Outcome = 'succeeded' | 'failed' | 'unknown';

export interface AuditUser {
  username: string;
  groups: string[];
  uid: string | null;
  /** e.g. EKS `arn`, `sessionName`, `accessKeyId`. */
  extra: Record<string, string[]>;
}

export interface ObjectRef {
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  apiGroup: string;
  apiVersion: string;
  uid: string;
}

type Json = Record<string, unknown>;

const NO_EXTRA: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;
const EMPTY_USER: AuditUser = Object.freeze({ username: '', groups: [], uid: null, extra: {} }) as AuditUser;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * An accepted audit event. Missing strings are '' (so `ev.subresource === 'exec'` needs no guard),
 * missing objects are null; `raw` keeps the original for evidence.
 */
export class AuditEvent {
  readonly apiVersion: string;
  readonly auditID: string;
  /** '' when the event carries no stage (then it is evaluated, §0.1). */
  readonly stage: string;
  readonly verb: string;
  /** objectRef.resource / .subresource ('' when absent): read for every event, so kept as fields. */
  readonly resource: string;
  readonly subresource: string;
  // Everything else is read from `raw` on first use: most detections stop at resource and verb.
  private cachedUser: AuditUser | undefined;
  private cachedImpersonated: AuditUser | null | undefined;
  private cachedSourceIPs: string[] | undefined;
  private cachedAnnotations: Record<string, string> | undefined;
  private cachedAt: number | undefined;
  private cachedClientIP: string | null | undefined;
  private cachedObjectRef: ObjectRef | null | undefined;
  private memos: Map<symbol, unknown> | undefined;

  constructor(
    readonly raw: Json,
    apiVersion: string,
  ) {
    this.apiVersion = apiVersion;
    this.auditID = str(raw.auditID);
    this.stage = str(raw.stage);
    this.verb = str(raw.verb);
    const ref = raw.objectRef;
    this.resource = isObject(ref) ? str(ref.resource) : '';
    this.subresource = isObject(ref) ? str(ref.subresource) : '';
  }

  /** A value derived from this event, computed on first use: for derivations several detections share. */
  memo<T>(key: symbol, compute: () => T): T {
    this.memos ??= new Map();
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  get objectRef(): ObjectRef | null {
    if (this.cachedObjectRef === undefined) this.cachedObjectRef = objectRefOf(this.raw.objectRef);
    return this.cachedObjectRef;
  }

  get level(): string {
    return str(this.raw.level);
  }
  get requestURI(): string {
    return str(this.raw.requestURI);
  }
  get userAgent(): string {
    return str(this.raw.userAgent);
  }
  get user(): AuditUser {
    return (this.cachedUser ??= userOf(this.raw.user) ?? EMPTY_USER);
  }
  get impersonatedUser(): AuditUser | null {
    if (this.cachedImpersonated === undefined) this.cachedImpersonated = userOf(this.raw.impersonatedUser);
    return this.cachedImpersonated;
  }
  get sourceIPs(): string[] {
    const ips = this.raw.sourceIPs;
    return (this.cachedSourceIPs ??= Array.isArray(ips) ? strings(ips) : []);
  }
  get responseCode(): number | null {
    const status = this.raw.responseStatus;
    return isObject(status) && typeof status.code === 'number' && Number.isFinite(status.code) ? status.code : null;
  }
  get annotations(): Record<string, string> {
    return (this.cachedAnnotations ??= stringRecord(this.raw.annotations));
  }
  get requestObject(): unknown {
    return this.raw.requestObject;
  }
  get responseObject(): unknown {
    return this.raw.responseObject;
  }
  /** Event time in epoch milliseconds (stageTimestamp, else requestReceivedTimestamp, else v1beta1 timestamp); NaN when none parses. */
  get at(): number {
    return (this.cachedAt ??= eventTime(this.raw));
  }

  /** Target namespace ('' for cluster-scoped or cluster-wide requests). */
  get namespace(): string {
    return this.objectRef?.namespace ?? '';
  }
  get name(): string {
    return this.objectRef?.name ?? '';
  }
  get apiGroup(): string {
    return this.objectRef?.apiGroup ?? '';
  }

  /** `authorization.k8s.io/decision`: 'allow', 'forbid' or ''. */
  get decision(): string {
    return this.annotation('authorization.k8s.io/decision');
  }
  get decisionReason(): string {
    return this.annotation('authorization.k8s.io/reason');
  }
  /** One annotation ('' when absent), without building the whole record. */
  annotation(name: string): string {
    const a = this.raw.annotations;
    return isObject(a) ? str(a[name]) : '';
  }

  /** §0.1: code >= 400 failed, < 400 succeeded (101 included); else the authorizer's decision; else unknown. */
  get outcome(): Outcome {
    const code = this.responseCode;
    if (code !== null) return code >= 400 ? 'failed' : 'succeeded';
    const decision = this.decision;
    if (decision === 'allow') return 'succeeded';
    if (decision === 'forbid') return 'failed';
    return 'unknown';
  }

  /** "Not failed": what a detection requires unless it asks for confirmed success. */
  get notFailed(): boolean {
    return this.outcome !== 'failed';
  }

  /** The directly connected peer: the last parseable `sourceIPs` entry (earlier ones may be a forged X-Forwarded-For chain). */
  get clientIP(): string | null {
    if (this.cachedClientIP === undefined) {
      this.cachedClientIP = null;
      const ips = this.sourceIPs;
      for (let i = ips.length - 1; i >= 0; i--) {
        const ip = normalisedIP(ips[i]);
        if (ip !== null) {
          this.cachedClientIP = ip;
          break;
        }
      }
    }
    return this.cachedClientIP;
  }

  get isStreaming(): boolean {
    return this.resource === 'pods' || this.resource === 'services' || this.resource === 'nodes' ? STREAMING_SUBRESOURCES.has(this.subresource) : false;
  }

  /** The object the request wrote as it was stored (patch: the response), else the request body, when it is an object. */
  get writtenObject(): Json | null {
    if (this.verb === 'patch' && isObject(this.responseObject) && this.responseObject.kind !== 'Status') return this.responseObject;
    if (isObject(this.requestObject)) return this.requestObject;
    if (isObject(this.responseObject) && this.responseObject.kind !== 'Status') return this.responseObject;
    return null;
  }

  get time(): string {
    return Number.isNaN(this.at) ? '' : new Date(this.at).toISOString();
  }
}

/** Why a value is not an accepted audit event (§0.1), or null when it is one. */
export function rejectionReason(value: unknown, inList = false): string | null {
  // The common case first: a log line as the API server writes it.
  if (isObject(value) && value.kind === 'Event' && (value.apiVersion === 'audit.k8s.io/v1' || value.apiVersion === 'audit.k8s.io/v1beta1')) return null;
  if (!isObject(value)) return `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
  const kind = value.kind;
  const apiVersion = value.apiVersion;
  if (kind !== undefined && kind !== 'Event') return `kind "${String(kind).slice(0, 64)}" is not an audit Event`;
  if (apiVersion !== undefined && !(AUDIT_API_VERSIONS as readonly unknown[]).includes(apiVersion)) return `apiVersion "${String(apiVersion).slice(0, 64)}" is not audit.k8s.io/v1 or v1beta1`;
  // Items of an EventList carry their type on the list; a bare line must say it is an Event or look like one.
  if (kind === undefined && !inList && typeof value.auditID !== 'string') return 'not an audit event (no kind "Event" and no auditID)';
  return null;
}

/** The normalised event, or a rejection reason. `listApiVersion` is the enclosing EventList's. */
export function toAuditEvent(value: unknown, listApiVersion?: string): AuditEvent | { rejected: string } {
  const reason = rejectionReason(value, listApiVersion !== undefined);
  if (reason !== null) return { rejected: reason };
  const raw = value as Json;
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : (listApiVersion ?? '');
  return new AuditEvent(raw, apiVersion);
}

function userOf(v: unknown): AuditUser | null {
  if (!isObject(v)) return null;
  let extra = NO_EXTRA;
  if (isObject(v.extra)) {
    extra = {};
    for (const [k, values] of Object.entries(v.extra)) {
      if (Array.isArray(values)) extra[k] = strings(values);
      else if (typeof values === 'string') extra[k] = [values];
    }
  }
  return { username: str(v.username), groups: Array.isArray(v.groups) ? strings(v.groups) : [], uid: typeof v.uid === 'string' ? v.uid : null, extra };
}

/** The string entries of an array (the array itself when it holds only strings, as it nearly always does). */
function strings(values: unknown[]): string[] {
  for (const x of values) if (typeof x !== 'string') return values.filter((y): y is string => typeof y === 'string');
  return values as string[];
}

function objectRefOf(v: unknown): ObjectRef | null {
  if (!isObject(v)) return null;
  return {
    resource: str(v.resource),
    subresource: str(v.subresource),
    namespace: str(v.namespace),
    name: str(v.name),
    apiGroup: str(v.apiGroup),
    apiVersion: str(v.apiVersion),
    uid: str(v.uid),
  };
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  return out;
}

function eventTime(raw: Json): number {
  for (const field of [raw.stageTimestamp, raw.requestReceivedTimestamp, raw.timestamp]) {
    if (typeof field === 'string') {
      const t = Date.parse(field);
      if (!Number.isNaN(t)) return t;
    }
  }
  const meta = raw.metadata;
  if (isObject(meta) && typeof meta.creationTimestamp === 'string') return Date.parse(meta.creationTimestamp);
  return Number.NaN;
}

/** normaliseIP memoised: a cluster's requests come from few addresses. */
const normalisedIPs = new Map<string, string | null>();
function normalisedIP(value: string): string | null {
  let ip = normalisedIPs.get(value);
  if (ip === undefined) {
    ip = normaliseIP(value);
    if (normalisedIPs.size >= 10_000) normalisedIPs.clear();
    normalisedIPs.set(value, ip);
  }
  return ip;
}

/** An IP address as written, IPv4-mapped IPv6 reduced to IPv4; null when unparseable. */
export function normaliseIP(value: string): string | null {
  let ip = value.trim();
  // "[2001:db8::1]:443" or "10.0.0.1:443" (some proxies append the port)
  if (ip.startsWith('[')) ip = ip.slice(1, ip.indexOf(']') > 0 ? ip.indexOf(']') : undefined);
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  const family = isIP(ip);
  if (family === 0) return null;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return mapped[1];
    return ip.toLowerCase();
  }
  return ip;
}

/** A CIDR (or single address) list that answers membership for IPv4 and IPv6 addresses. */
export class CidrSet {
  private readonly v4: { base: number; mask: number }[] = [];
  private readonly v6: { base: bigint; mask: bigint }[] = [];
  readonly invalid: string[] = [];

  constructor(cidrs: readonly string[]) {
    for (const entry of cidrs) {
      const [addr, bitsText] = entry.trim().split('/', 2);
      const ip = normaliseIP(addr);
      if (ip === null) {
        this.invalid.push(entry);
        continue;
      }
      const family = isIP(ip);
      const max = family === 4 ? 32 : 128;
      const bits = bitsText === undefined ? max : Number(bitsText);
      if (!Number.isInteger(bits) || bits < 0 || bits > max) {
        this.invalid.push(entry);
        continue;
      }
      if (family === 4) {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        this.v4.push({ base: (ipv4ToInt(ip) & mask) >>> 0, mask });
      } else {
        const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
        this.v6.push({ base: ipv6ToBigInt(ip) & mask, mask });
      }
    }
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  has(address: string | null): boolean {
    if (address === null) return false;
    const ip = normaliseIP(address);
    if (ip === null) return false;
    if (isIP(ip) === 4) {
      const n = ipv4ToInt(ip);
      return this.v4.some((c) => ((n & c.mask) >>> 0) === c.base);
    }
    if (this.v6.length === 0) return false;
    const n = ipv6ToBigInt(ip);
    return this.v6.some((c) => (n & c.mask) === c.base);
  }
}

function ipv4ToInt(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4tail) {
    const n = ipv4ToInt(v4tail[1]);
    text = text.slice(0, -v4tail[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::', 2);
  const headParts = head ? head.split(':') : [];
  const tailParts = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(zeros).fill('0'), ...tailParts];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g || '0', 16));
  return n;
}

/** RFC 1918, 100.64/10 (CGNAT), loopback, link-local, IPv6 ULA and link-local (§0.1). */
const PRIVATE_RANGES = new CidrSet(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fe80::/10', 'fc00::/7']);
const LOOPBACK = new CidrSet(['127.0.0.0/8', '::1/128']);

/** Address → 'private' | 'public' | 'invalid', memoised: a cluster's traffic comes from few addresses. */
const ipClasses = new Map<string, 'private' | 'public' | 'invalid'>();
function ipClass(ip: string): 'private' | 'public' | 'invalid' {
  let c = ipClasses.get(ip);
  if (c === undefined) {
    c = normaliseIP(ip) === null ? 'invalid' : PRIVATE_RANGES.has(ip) ? 'private' : 'public';
    if (ipClasses.size >= 10_000) ipClasses.clear();
    ipClasses.set(ip, c);
  }
  return c;
}

export function isPrivateIP(ip: string | null): boolean {
  return ip !== null && ipClass(ip) === 'private';
}

/** A parseable address outside the private ranges. */
export function isPublicIP(ip: string | null): boolean {
  return ip !== null && ipClass(ip) === 'public';
}

export function isLoopbackIP(ip: string | null): boolean {
  return ip !== null && LOOPBACK.has(ip);
}
