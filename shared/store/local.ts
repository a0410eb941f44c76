// The embedded store `shipwatch serve` uses with no AWS configured: everything in memory, indexed
// by status, target and scope, saved as a JSON snapshot under a folder after every change.
// Same lifecycle (lifecycle.ts), filters, order and paging as the DynamoDB store.
import { join } from 'node:path';
import { SEVERITIES, type Finding, type Severity } from '../findings/finding.ts';
import {
  emptyApplyResult,
  filterTargets,
  observeFinding,
  reopenFinding,
  resolveFinding,
  scopeTarget,
  supersedeFinding,
  suppressFinding,
  uniqueFindings,
  type ScanOutcomes,
  type Transition,
} from '../pipeline/lifecycle.ts';
import { scopeKey, storedFingerprint, type FindingScope, type FindingStatus, type HistoryEntry, type ScanRecord, type StoredFinding } from '../pipeline/model.ts';
import type { ApplyScanExtras, DeliveryLog, FindingFilter, FindingStore, Page, VisitResult } from '../pipeline/ports.ts';
import { compareListing, decodeCursor, encodeCursor, InvalidCursorError, type ListingKey, pageLimit, searchText, searchWords } from './paging.ts';
import { SnapshotFile } from './snapshot.ts';

export const DEFAULT_STORE_DIR = '.shipwatch';

/** Called after a finding is written, with its state before (null when new) and after: what a DynamoDB stream would carry. */
export type FindingChangeListener = (oldImage: StoredFinding | null, newImage: StoredFinding) => void | Promise<void>;

export interface LocalStoreOptions {
  /** Folder of the snapshot (default `.shipwatch`); null keeps the state in memory only. */
  dir?: string | null;
  /** Clock for suppress, reopen and upsert (scans use their record's time). */
  now?: () => Date;
  /** Awaited after each change is saved; keep it quick (hand the change to a queue). */
  onChange?: FindingChangeListener;
}

interface FindingsSnapshot {
  version: 1;
  findings: StoredFinding[];
  history: Record<string, HistoryEntry[]>;
  scans: Record<string, ScanRecord[]>;
}

interface Change {
  oldImage: StoredFinding | null;
  newImage: StoredFinding;
}

const snapshotOf = (dir: string | null | undefined, file: string) => (dir === null ? null : join(dir ?? DEFAULT_STORE_DIR, file));

function addTo<K>(index: Map<K, Set<string>>, key: K, fingerprint: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(fingerprint);
}

const targetIndexKey = (kind: string, name: string) => `${kind}:${name}`;

/** A filter as a predicate; `text` is the finding's search text when the caller has it at hand. */
type Matcher = (f: StoredFinding, text?: string) => boolean;

export class LocalFindingStore implements FindingStore {
  private readonly findings = new Map<string, StoredFinding>();
  private readonly historyOf = new Map<string, HistoryEntry[]>();
  private readonly scanRecords = new Map<string, ScanRecord[]>();
  private readonly byStatus = new Map<FindingStatus, Set<string>>();
  private readonly byTarget = new Map<string, Set<string>>();
  private readonly byScope = new Map<string, Set<string>>();
  /** Lower-case search text per finding, kept with the finding so a text filter does not rebuild it per query. */
  private readonly searchable = new Map<string, string>();
  /** Each status's findings in listing order with their search texts, sorted on the first query after a change (null: to sort). */
  private readonly listing = new Map<FindingStatus, { findings: StoredFinding[]; texts: string[] } | null>();
  private readonly snapshot: SnapshotFile<FindingsSnapshot> | null;
  private readonly clock: () => Date;
  private changes = 0;
  private readonly onChange?: FindingChangeListener;

  private constructor(options: LocalStoreOptions) {
    const path = snapshotOf(options.dir, 'findings.json');
    this.snapshot = path ? new SnapshotFile(path) : null;
    this.clock = options.now ?? (() => new Date());
    this.onChange = options.onChange;
  }

  /** A store with the state saved under `dir` (if any) loaded. */
  static async open(options: LocalStoreOptions = {}): Promise<LocalFindingStore> {
    const store = new LocalFindingStore(options);
    const saved = await store.snapshot?.load();
    if (saved) {
      for (const finding of saved.findings) store.put(finding);
      for (const [fingerprint, entries] of Object.entries(saved.history)) store.historyOf.set(fingerprint, entries);
      for (const [key, records] of Object.entries(saved.scans)) store.scanRecords.set(key, records);
    }
    return store;
  }

  async applyScan(
    scope: FindingScope,
    findings: Finding[],
    record: Omit<ScanRecord, 'scopeKey' | 'findings' | 'newFindings' | 'resolvedFindings'>,
    extras?: ApplyScanExtras,
  ): Promise<ScanOutcomes> {
    const now = new Date(record.at).toISOString();
    const unique = uniqueFindings(findings);
    const changes: Change[] = [];
    const result = this.observe(scope, unique, now, changes, extras?.url);

    const key = scopeKey(scope);
    const produced = new Set(unique.map((f) => storedFingerprint(scope, f.fingerprint)));
    for (const fingerprint of this.byScope.get(key) ?? []) {
      const current = this.findings.get(fingerprint);
      if (!current || produced.has(fingerprint)) continue;
      const reason = current.status === 'open' ? extras?.supersede?.(current) : null;
      const t = reason ? supersedeFinding(current, now, reason) : resolveFinding(current, now);
      if (t) result[t.outcome].push(this.commit(t, changes));
    }

    const scan: ScanRecord = { ...record, at: now, scopeKey: key, findings: unique.length, newFindings: result.opened.length, resolvedFindings: result.resolved.length };
    const records = this.scanRecords.get(key) ?? [];
    const sameTime = records.findIndex((r) => r.at === scan.at);
    if (sameTime >= 0) records[sameTime] = scan;
    else records.push(scan);
    this.scanRecords.set(key, records);
    await this.settle(changes);
    return result;
  }

  async upsert(scope: FindingScope, findings: Finding[]): Promise<ScanOutcomes> {
    const changes: Change[] = [];
    const result = this.observe(scope, uniqueFindings(findings), this.clock().toISOString(), changes);
    await this.settle(changes);
    return result;
  }

  async get(fingerprint: string): Promise<StoredFinding | null> {
    return this.findings.get(fingerprint) ?? null;
  }

  async openByFindingFingerprint(scope: FindingScope, findingFingerprints: string[]): Promise<Set<string>> {
    const open = new Set<string>();
    for (const fp of findingFingerprints) {
      if (this.findings.get(storedFingerprint(scope, fp))?.status === 'open') open.add(fp);
    }
    return open;
  }

  async query(filter: FindingFilter, page: { cursor?: string; limit?: number } = {}): Promise<Page<StoredFinding>> {
    const limit = pageLimit(page.limit);
    const status = filter.status ?? 'open';
    const targets = filterTargets(filter);
    const after = page.cursor ? decodeListingCursor(page.cursor) : null;
    const matches = this.matcher({ ...filter, status });
    if (!targets.length) return this.pageOfListing(status, matches, after, limit);
    const candidates = this.byTarget.get(targetIndexKey(targets[0].kind, targets[0].name));

    // A target's findings are few: the first limit + 1 matches in listing order, kept sorted as they are found.
    const top: StoredFinding[] = [];
    for (const fingerprint of candidates ?? []) {
      const f = this.findings.get(fingerprint);
      if (!f || !matches(f)) continue;
      if (after && compareListing(f, after) <= 0) continue;
      if (top.length > limit && compareListing(f, top[top.length - 1]) >= 0) continue;
      top.splice(insertionPoint(top, f), 0, f);
      if (top.length > limit + 1) top.pop();
    }
    return pageOf(top, limit);
  }

  /** A page from a status's sorted listing: from the cursor on, until limit + 1 matches. */
  private pageOfListing(status: FindingStatus, matches: Matcher, after: ListingKey | null, limit: number): Page<StoredFinding> {
    const { findings, texts } = this.sortedListing(status);
    const found: StoredFinding[] = [];
    for (let i = after ? firstAfter(findings, after) : 0; i < findings.length && found.length <= limit; i++) {
      if (matches(findings[i], texts[i])) found.push(findings[i]);
    }
    return pageOf(found, limit);
  }

  private sortedListing(status: FindingStatus): { findings: StoredFinding[]; texts: string[] } {
    let sorted = this.listing.get(status);
    if (!sorted) {
      const findings: StoredFinding[] = [];
      for (const fingerprint of this.byStatus.get(status) ?? []) findings.push(this.findings.get(fingerprint)!);
      findings.sort(compareListing);
      sorted = { findings, texts: findings.map((f) => this.searchable.get(f.fingerprint) ?? '') };
      this.listing.set(status, sorted);
    }
    return sorted;
  }

  async visit(filter: FindingFilter, visit: (finding: StoredFinding) => void, options: { max?: number } = {}): Promise<VisitResult> {
    const max = options.max ?? Infinity;
    const [target] = filterTargets(filter);
    const matches = this.matcher(filter);
    let visited = 0;
    const each = (f: StoredFinding | undefined): boolean => {
      if (!f || !matches(f)) return true;
      if (visited === max) return false;
      visit(f);
      visited++;
      return true;
    };
    if (target || filter.status) {
      const candidates = target ? this.byTarget.get(targetIndexKey(target.kind, target.name)) : this.byStatus.get(filter.status!);
      for (const fingerprint of candidates ?? []) if (!each(this.findings.get(fingerprint))) return { visited, truncated: true };
    } else {
      for (const f of this.findings.values()) if (!each(f)) return { visited, truncated: true };
    }
    return { visited, truncated: false };
  }

  async history(fingerprint: string): Promise<HistoryEntry[]> {
    return [...(this.historyOf.get(fingerprint) ?? [])];
  }

  async suppress(fingerprint: string, by: string, reason: string, until: string | null): Promise<StoredFinding | null> {
    const current = this.findings.get(fingerprint);
    if (!current) return null;
    const changes: Change[] = [];
    const next = this.commit(suppressFinding(current, by, reason, until, this.clock().toISOString()), changes);
    await this.settle(changes);
    return next;
  }

  async reopen(fingerprint: string, by: string, reason?: string): Promise<StoredFinding | null> {
    const current = this.findings.get(fingerprint);
    if (!current) return null;
    const t = reopenFinding(current, by, reason, this.clock().toISOString());
    if (!t) return current;
    const changes: Change[] = [];
    const next = this.commit(t, changes);
    await this.settle(changes);
    return next;
  }

  async scans(scope: FindingScope, limit = 20): Promise<ScanRecord[]> {
    const records = this.scanRecords.get(scopeKey(scope)) ?? [];
    return [...records].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }

  /** Grows with every change to a finding: aggregates computed at the same revision are still right. */
  get revision(): number {
    return this.changes;
  }

  /** Resolves once every change made so far is on disk. */
  async flush(): Promise<void> {
    await this.snapshot?.save(() => this.state());
  }

  /** The filter as a predicate (status only when the filter has one). */
  private matcher(filter: FindingFilter): Matcher {
    const targets = filterTargets(filter);
    const words = searchWords(filter.text);
    return (f, text) => {
      if (filter.status && f.status !== filter.status) return false;
      if (filter.severity && f.severity !== filter.severity) return false;
      if (filter.source && f.source !== filter.source) return false;
      if (filter.rule && f.ruleId !== filter.rule) return false;
      if (targets.length > 0 && targets.some((t) => f.scope[t.kind] !== t.name)) return false;
      if (words.length > 0) {
        const searched = text ?? this.searchable.get(f.fingerprint) ?? '';
        if (!words.every((w) => searched.includes(w))) return false;
      }
      return true;
    };
  }

  private observe(scope: FindingScope, findings: Finding[], now: string, changes: Change[], url?: (f: Finding) => string | null): ScanOutcomes {
    const result = emptyApplyResult();
    for (const finding of findings) {
      const current = this.findings.get(storedFingerprint(scope, finding.fingerprint)) ?? null;
      const t = observeFinding(current, finding, scope, now, url?.(finding));
      if (t.outcome === 'resolved') continue;
      result[t.outcome].push(t.write ? this.commit(t, changes) : t.next);
    }
    return result;
  }

  /** Applies a transition in memory (state, indexes, history) and notes the change. */
  private commit(t: Transition, changes: Change[]): StoredFinding {
    const oldImage = this.findings.get(t.next.fingerprint) ?? null;
    this.changes++;
    if (oldImage) this.unindex(oldImage);
    this.put(t.next);
    if (t.event) {
      const entries = this.historyOf.get(t.next.fingerprint) ?? [];
      entries.push(t.event);
      this.historyOf.set(t.next.fingerprint, entries);
    }
    changes.push({ oldImage, newImage: t.next });
    return t.next;
  }

  private put(finding: StoredFinding): void {
    const target = scopeTarget(finding.scope);
    this.findings.set(finding.fingerprint, finding);
    this.searchable.set(finding.fingerprint, searchText(finding));
    this.listing.set(finding.status, null);
    addTo(this.byStatus, finding.status, finding.fingerprint);
    addTo(this.byTarget, targetIndexKey(target.kind, target.name), finding.fingerprint);
    addTo(this.byScope, finding.scopeKey, finding.fingerprint);
  }

  private unindex(finding: StoredFinding): void {
    // Target and scope never change for a fingerprint; only the status index moves.
    this.byStatus.get(finding.status)?.delete(finding.fingerprint);
    this.listing.set(finding.status, null);
  }

  /** Saves, then tells the listener (as a stream would, after the write). */
  private async settle(changes: Change[]): Promise<void> {
    await this.flush();
    if (!this.onChange) return;
    for (const change of changes) await this.onChange(change.oldImage, change.newImage);
  }

  private state(): FindingsSnapshot {
    return {
      version: 1,
      findings: [...this.findings.values()],
      history: Object.fromEntries(this.historyOf),
      scans: Object.fromEntries(this.scanRecords),
    };
  }
}

/** The page of the first limit matches, and a cursor when there was one more. */
function pageOf(matches: StoredFinding[], limit: number): Page<StoredFinding> {
  const items = matches.slice(0, limit);
  if (matches.length <= limit) return { items };
  const last = items[items.length - 1];
  return { items, cursor: encodeCursor({ s: last.severity, l: last.lastSeen, f: last.fingerprint }) };
}

/** Index of the first finding of a sorted listing that comes after the cursor's position. */
function firstAfter(sorted: StoredFinding[], after: ListingKey): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareListing(sorted[mid], after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insertionPoint(sorted: StoredFinding[], f: StoredFinding): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareListing(sorted[mid], f) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function decodeListingCursor(cursor: string): ListingKey {
  const { s, l, f } = decodeCursor(cursor);
  if (!SEVERITIES.includes(s as Severity) || typeof l !== 'string' || typeof f !== 'string') throw new InvalidCursorError('not a cursor from this API');
  return { severity: s as Severity, lastSeen: l, fingerprint: f };
}

interface DeliveriesSnapshot {
  version: 1;
  /** Delivery id -> expiry, epoch seconds. */
  deliveries: Record<string, number>;
}

/** Webhook delivery ids for the local server, saved beside the findings so a restart still de-duplicates. */
export class LocalDeliveryLog implements DeliveryLog {
  private readonly expiries = new Map<string, number>();
  private readonly snapshot: SnapshotFile<DeliveriesSnapshot> | null;
  private readonly clock: () => Date;

  private constructor(options: Pick<LocalStoreOptions, 'dir' | 'now'>) {
    const path = snapshotOf(options.dir, 'deliveries.json');
    this.snapshot = path ? new SnapshotFile(path) : null;
    this.clock = options.now ?? (() => new Date());
  }

  static async open(options: Pick<LocalStoreOptions, 'dir' | 'now'> = {}): Promise<LocalDeliveryLog> {
    const log = new LocalDeliveryLog(options);
    const saved = await log.snapshot?.load();
    for (const [id, expiry] of Object.entries(saved?.deliveries ?? {})) log.expiries.set(id, expiry);
    return log;
  }

  async firstDelivery(id: string, ttlSeconds: number): Promise<boolean> {
    const now = this.nowSeconds();
    const expiry = this.expiries.get(id);
    if (expiry !== undefined && expiry > now) return false;
    this.expiries.set(id, now + ttlSeconds);
    await this.save();
    return true;
  }

  async forget(id: string): Promise<void> {
    if (this.expiries.delete(id)) await this.save();
  }

  private nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  private save(): Promise<void> {
    return (
      this.snapshot?.save(() => {
        const now = this.nowSeconds();
        for (const [id, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(id);
        return { version: 1, deliveries: Object.fromEntries(this.expiries) };
      }) ?? Promise.resolve()
    );
  }
}
