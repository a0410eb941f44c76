// Learned behaviour per identity: the set of (verb, resource, subresource, namespace scope) tuples
// an identity used while its baseline was learning. The store only keeps records and applies
// bounded, idempotent additions; when to learn and when to alert is decided in baseline.ts.

export type BaselineKind = 'service-account' | 'human';

export interface Baseline {
  cluster: string;
  /** The username (`system:serviceaccount:<ns>:<name>` for service accounts). */
  identity: string;
  kind: BaselineKind;
  /** ISO time of the first event that started (or the reset that restarted) learning. */
  firstSeen: string;
  /** ISO time until which new tuples are learned instead of alerted on. */
  learningUntil: string;
  /** Encoded tuples (see tuple.ts), sorted. */
  tuples: string[];
  /** True once an addition did not fit under maxTuples: learning stopped early. */
  saturated: boolean;
  updatedAt: string;
}

export interface BaselineStart {
  kind: BaselineKind;
  firstSeen: string;
  learningUntil: string;
}

export interface BaselineStore {
  get(cluster: string, identity: string): Promise<Baseline | null>;
  /** The baseline, created with `start` when the identity has none yet (the first writer wins). */
  getOrStart(cluster: string, identity: string, start: BaselineStart): Promise<Baseline>;
  /**
   * Adds tuples to an existing baseline, keeping at most `maxTuples`; tuples that do not fit are
   * dropped and the baseline is marked saturated. Idempotent (a set). Returns the baseline after.
   */
  learn(cluster: string, identity: string, tuples: readonly string[], maxTuples: number): Promise<Baseline>;
  /** Forgets the learned tuples and learns again from `start`; null when the identity has no baseline. */
  reset(cluster: string, identity: string, start: Omit<BaselineStart, 'kind'>): Promise<Baseline | null>;
  /** The cluster-wide learning start (human baselines learn from the cluster's first event), created with `start` when absent. */
  clusterStart(cluster: string, start: { firstSeen: string; learningUntil: string }): Promise<{ firstSeen: string; learningUntil: string }>;
}

/** The in-process store of the CLI, `shipwatch serve` and tests. */
export class MemoryBaselineStore implements BaselineStore {
  private readonly baselines = new Map<string, MemoryEntry>();
  private readonly clusters = new Map<string, { firstSeen: string; learningUntil: string }>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async get(cluster: string, identity: string): Promise<Baseline | null> {
    const entry = this.baselines.get(key(cluster, identity));
    return entry ? snapshot(entry) : null;
  }

  async getOrStart(cluster: string, identity: string, start: BaselineStart): Promise<Baseline> {
    const id = key(cluster, identity);
    let entry = this.baselines.get(id);
    if (!entry) {
      entry = { record: { cluster, identity, ...start, saturated: false, updatedAt: this.clock().toISOString() }, tuples: new Set() };
      this.baselines.set(id, entry);
    }
    return snapshot(entry);
  }

  async learn(cluster: string, identity: string, tuples: readonly string[], maxTuples: number): Promise<Baseline> {
    const entry = this.baselines.get(key(cluster, identity));
    if (!entry) throw new Error(`no baseline for ${identity} in ${cluster}`);
    let changed = false;
    for (const tuple of tuples) {
      if (entry.tuples.has(tuple)) continue;
      if (entry.tuples.size >= maxTuples) {
        entry.record.saturated = true;
        changed = true;
        continue;
      }
      entry.tuples.add(tuple);
      changed = true;
    }
    if (changed) entry.record.updatedAt = this.clock().toISOString();
    return snapshot(entry);
  }

  async reset(cluster: string, identity: string, start: Omit<BaselineStart, 'kind'>): Promise<Baseline | null> {
    const entry = this.baselines.get(key(cluster, identity));
    if (!entry) return null;
    entry.tuples.clear();
    entry.record = { ...entry.record, ...start, saturated: false, updatedAt: this.clock().toISOString() };
    return snapshot(entry);
  }

  async clusterStart(cluster: string, start: { firstSeen: string; learningUntil: string }): Promise<{ firstSeen: string; learningUntil: string }> {
    let found = this.clusters.get(cluster);
    if (!found) {
      found = { ...start };
      this.clusters.set(cluster, found);
    }
    return { ...found };
  }
}

const key = (cluster: string, identity: string) => `${cluster}\u0000${identity}`;

interface MemoryEntry {
  record: Omit<Baseline, 'tuples'>;
  tuples: Set<string>;
}

function snapshot(entry: MemoryEntry): Baseline {
  return { ...entry.record, tuples: [...entry.tuples].sort() };
}
