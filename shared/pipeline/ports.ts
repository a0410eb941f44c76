import type { Finding, Severity } from '../findings/finding.ts';
import type { FindingScope, FindingStatus, ScanJob, ScanRecord, StoredFinding, HistoryEntry } from './model.ts';

export interface FindingFilter {
  source?: string;
  severity?: Severity;
  status?: FindingStatus;
  repo?: string;
  image?: string;
  cluster?: string;
  /** Exact rule id. */
  rule?: string;
  /** Words that must all appear (case-insensitive) in the rule id, title, message, file, resource or target. */
  text?: string;
}

/** What a bounded visit of the store saw. */
export interface VisitResult {
  visited: number;
  /** True when it stopped at the bound before the end. */
  truncated: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface ApplyScanResult {
  /** Findings seen for the first time in this scope, or re-opened. */
  opened: StoredFinding[];
  /** Open findings of this scope that this scan no longer produced. */
  resolved: StoredFinding[];
  /** Findings that were already open and are still there. */
  unchanged: StoredFinding[];
  /** Findings this scan produced that are suppressed (through the API or in the source); they do not alert. */
  suppressed?: StoredFinding[];
  /** Open findings of an earlier image that the scanned one replaced under the same tag (see `ApplyScanExtras.supersede`). */
  superseded?: StoredFinding[];
}

export interface ApplyScanExtras {
  /** Browser link for a finding. */
  url?: (f: Finding) => string | null;
  /**
   * For an open finding of the scope that this scan no longer produced: a reason when its absence
   * means the target was replaced (a newer image pushed under the same tag) rather than fixed. Such
   * findings close with a `superseded` history entry instead of `resolved`.
   */
  supersede?: (f: StoredFinding) => string | null;
}

/** The findings table: one interface, a DynamoDB adapter and a local one. */
export interface FindingStore {
  /**
   * Upserts a complete scan of one scope (idempotent by fingerprint): new findings open,
   * existing ones get lastSeen, open ones the scan no longer produced become resolved.
   * Suppressed findings stay suppressed.
   */
  applyScan(scope: FindingScope, findings: Finding[], record: Omit<ScanRecord, 'scopeKey' | 'findings' | 'newFindings' | 'resolvedFindings'>, extras?: ApplyScanExtras): Promise<ApplyScanResult>;
  /** Upserts findings without resolving absent ones (streams of events: audit, registry). */
  upsert(scope: FindingScope, findings: Finding[]): Promise<ApplyScanResult>;
  get(fingerprint: string): Promise<StoredFinding | null>;
  /** Open findings with these engine fingerprints in a scope (PR vs base branch). */
  openByFindingFingerprint(scope: FindingScope, findingFingerprints: string[]): Promise<Set<string>>;
  query(filter: FindingFilter, page?: { cursor?: string; limit?: number }): Promise<Page<StoredFinding>>;
  history(fingerprint: string): Promise<HistoryEntry[]>;
  suppress(fingerprint: string, by: string, reason: string, until: string | null): Promise<StoredFinding | null>;
  reopen(fingerprint: string, by: string, reason?: string): Promise<StoredFinding | null>;
  scans(scope: FindingScope, limit?: number): Promise<ScanRecord[]>;
  /**
   * Hands every finding matching the filter (every status unless `status` is set) to `visit`, for
   * aggregates: dashboard statistics, compliance over stored findings. Stops after `max` findings.
   */
  visit(filter: FindingFilter, visit: (finding: StoredFinding) => void, options?: { max?: number }): Promise<VisitResult>;
}

/**
 * A store that counts its changes (the embedded one: it is the only writer of its state), so
 * aggregates over it can be reused until the next change.
 */
export interface RevisionedStore {
  readonly revision: number;
}

export function hasRevision(store: object): store is RevisionedStore {
  return typeof (store as Partial<RevisionedStore>).revision === 'number';
}

/** Remembers webhook delivery ids for a while: true the first time an id is seen. */
export interface DeliveryLog {
  firstDelivery(id: string, ttlSeconds: number): Promise<boolean>;
  /** Releases an id whose processing failed, so the sender's retry is processed. */
  forget(id: string): Promise<void>;
}

export interface JobQueue {
  send(job: ScanJob): Promise<void>;
}

/** Where new serious findings go (Slack, SNS). */
export interface Notifier {
  notify(findings: StoredFinding[]): Promise<void>;
}
