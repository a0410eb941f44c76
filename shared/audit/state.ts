// The audit sink's short-lived state: open finding groups (suppression windows), threshold
// counters and processed-event claims. Lambda instances are stateless, so in AWS this lives in
// DynamoDB (state-dynamodb.ts); the CLI and the local server use the in-memory implementation.
// Both implement the same semantics, exercised by one contract test.

/** An open group: one finding that further matches with the same key update instead of alerting again. */
export interface GroupRecord {
  /** Matches merged into the group, the first one included. */
  count: number;
  /** Epoch ms of the match that opened the group (part of the fingerprint: a later window is a new finding). */
  firstSeen: number;
  lastSeen: number;
  /** Epoch ms after which a match opens a new group. */
  windowEnd: number;
  /** The first audit IDs of the group (bounded). */
  auditIDs: string[];
  /** True when this call opened the group. */
  opened: boolean;
}

export interface GroupTouch {
  /** Event time of the match (epoch ms). */
  at: number;
  windowSeconds: number;
  auditID: string;
}

export interface AuditState {
  /**
   * Records that (cluster, auditID, stage key) was processed; false when it already was (a
   * duplicate delivery). Claims live for `ttlSeconds`.
   */
  claimEvent(cluster: string, auditID: string, stageKey: string, ttlSeconds: number): Promise<boolean>;
  /** Withdraws a claim whose processing failed, so a redelivery is processed. */
  releaseEvent(cluster: string, auditID: string, stageKey: string): Promise<void>;
  /** Merges a match into its group: increments an open group, or opens a new one when none is open at `at`. */
  touchGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord>;
  /** Like touchGroup, but only when a group is open at `at`; null (and no change) otherwise. */
  touchOpenGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord | null>;
  /**
   * Adds one event to a threshold counter and returns the count inside its window (started by the
   * first event; an event after the window restarts it). With `target`, counts distinct targets.
   */
  addToCounter(cluster: string, key: string, at: number, windowSeconds: number, target?: string): Promise<number>;
  /** Forgets a counter (after its threshold opened a group). */
  resetCounter(cluster: string, key: string): Promise<void>;
}

/** Audit IDs kept per group. */
export const MAX_GROUP_AUDIT_IDS = 20;

interface Counter {
  windowEnd: number;
  count: number;
  targets: Set<string> | null;
}

/** In-process state for the CLI and `shipwatch serve`: the same semantics, expired entries swept as it goes. */
export class MemoryAuditState implements AuditState {
  private readonly claims = new Map<string, number>();
  private readonly groups = new Map<string, Omit<GroupRecord, 'opened'>>();
  private readonly counters = new Map<string, Counter>();
  private operations = 0;
  /** Latest event time seen: groups and counters expire by event time, so old log files group correctly. */
  private latest = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: () => number = Date.now) {}

  async claimEvent(cluster: string, auditID: string, stageKey: string, ttlSeconds: number): Promise<boolean> {
    this.sweep();
    const key = `${cluster}\u0000${auditID}\u0000${stageKey}`;
    const now = this.clock();
    const expires = this.claims.get(key);
    if (expires !== undefined && expires > now) return false;
    this.claims.set(key, now + ttlSeconds * 1000);
    return true;
  }

  async releaseEvent(cluster: string, auditID: string, stageKey: string): Promise<void> {
    this.claims.delete(`${cluster}\u0000${auditID}\u0000${stageKey}`);
  }

  async touchGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord> {
    return this.touch(cluster, key, touch, true) as Promise<GroupRecord>;
  }

  async touchOpenGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord | null> {
    return this.touch(cluster, key, touch, false);
  }

  private async touch(cluster: string, key: string, touch: GroupTouch, open: boolean): Promise<GroupRecord | null> {
    this.sweep();
    this.latest = Math.max(this.latest, touch.at);
    const id = `${cluster}\u0000${key}`;
    const group = this.groups.get(id);
    if (group && touch.at < group.windowEnd) {
      group.count++;
      group.lastSeen = Math.max(group.lastSeen, touch.at);
      if (group.auditIDs.length < MAX_GROUP_AUDIT_IDS && touch.auditID !== '') group.auditIDs.push(touch.auditID);
      return { ...group, auditIDs: [...group.auditIDs], opened: false };
    }
    if (!open) return null;
    const fresh = { count: 1, firstSeen: touch.at, lastSeen: touch.at, windowEnd: touch.at + touch.windowSeconds * 1000, auditIDs: touch.auditID ? [touch.auditID] : [] };
    this.groups.set(id, fresh);
    return { ...fresh, auditIDs: [...fresh.auditIDs], opened: true };
  }

  async addToCounter(cluster: string, key: string, at: number, windowSeconds: number, target?: string): Promise<number> {
    this.sweep();
    this.latest = Math.max(this.latest, at);
    const id = `${cluster}\u0000${key}`;
    let counter = this.counters.get(id);
    if (!counter || at >= counter.windowEnd) {
      counter = { windowEnd: at + windowSeconds * 1000, count: 0, targets: target === undefined ? null : new Set() };
      this.counters.set(id, counter);
    }
    if (target !== undefined) {
      counter.targets ??= new Set();
      counter.targets.add(target);
      return counter.targets.size;
    }
    return ++counter.count;
  }

  async resetCounter(cluster: string, key: string): Promise<void> {
    this.counters.delete(`${cluster}\u0000${key}`);
  }

  /** Drops expired claims, groups and counters now and then, so a long-running server stays bounded. */
  private sweep(): void {
    if (++this.operations % 10_000 !== 0) return;
    const now = this.clock();
    for (const [k, expires] of this.claims) if (expires <= now) this.claims.delete(k);
    // Keep a day of slack for late events.
    const horizon = this.latest - 24 * 3600 * 1000;
    for (const [k, g] of this.groups) if (g.windowEnd < horizon) this.groups.delete(k);
    for (const [k, c] of this.counters) if (c.windowEnd < horizon) this.counters.delete(k);
  }
}
