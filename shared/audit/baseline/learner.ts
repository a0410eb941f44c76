// The baseline learner: given a batch's baseline proposals (AUDIT-BASELINE-001/002 matches), it
// learns the tuples of identities still in their learning period and confirms the proposals that
// fall outside a learned set afterwards. Event time decides (so replayed logs learn and alert as
// they would have live); the store keeps the sets bounded and shared across Lambda instances.
import type { AuditEvent } from '../event.ts';
import type { AuditSettings } from '../settings.ts';
import type { Baseline, BaselineStore } from './store.ts';
import { baselineSubject, type BaselineSubject } from './subject.ts';

export const DEFAULT_LEARNING_DAYS = 7;
/** About 200 bytes per tuple in DynamoDB: 512 tuples stay far below the 400 KB item limit. */
export const DEFAULT_MAX_TUPLES = 512;
const DAY_MS = 24 * 3600 * 1000;

export interface BaselineProposal {
  event: AuditEvent;
  /** Event time, epoch ms. */
  at: number;
}

export interface BaselineOutcome {
  /** Per proposal, in order: true when it is new behaviour after learning (raise it). */
  confirmed: boolean[];
  /** Tuples added to baselines by this batch. */
  learned: number;
  /** Identities whose baseline hit maxTuples in this batch. */
  saturated: number;
}

export function baselineLimits(settings: AuditSettings): { learningMs: number; maxTuples: number } {
  const configured = settings.config.baseline;
  return { learningMs: (configured?.learningDays ?? DEFAULT_LEARNING_DAYS) * DAY_MS, maxTuples: configured?.maxTuples ?? DEFAULT_MAX_TUPLES };
}

/**
 * How long this instance trusts its copy of an identity's learned set. Sets only grow, so a cached
 * tuple stays known; only a reset (the findings API) shrinks one, and takes effect here within this.
 */
const KNOWN_TTL_MS = 60_000;
/** Identities whose learned sets are kept in memory (a few hundred tuples each). */
const KNOWN_MAX_IDENTITIES = 10_000;

export class BaselineLearner {
  /** The learned sets this instance read or wrote recently, by cluster, then identity. */
  private readonly knownSets = new Map<string, Map<string, LearnedSet & { until: number }>>();
  private knownIdentities = 0;
  /** The clock at the start of the current batch: `known` runs per event, the expiry needs batch precision only. */
  private batchTime = 0;

  constructor(
    readonly store: BaselineStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Called by the processor before it evaluates a batch. */
  beginBatch(): void {
    this.batchTime = this.clock();
  }

  /**
   * Whether the identity is known to have learned this tuple: its requests are then neither new
   * behaviour nor anything to learn, so the detections drop them before any store round trip.
   * Most requests repeat what the identity always does, so this is the common answer.
   */
  known(cluster: string, identity: string, tupleKey: string): boolean {
    return this.cached(cluster, identity)?.tuples.has(tupleKey) ?? false;
  }

  private cached(cluster: string, identity: string): LearnedSet | null {
    const entry = this.knownSets.get(cluster)?.get(identity);
    return entry !== undefined && entry.until > this.batchTime ? entry : null;
  }

  async confirm(cluster: string, proposals: readonly BaselineProposal[], settings: AuditSettings): Promise<BaselineOutcome> {
    const { learningMs, maxTuples } = baselineLimits(settings);
    const confirmed = proposals.map(() => false);
    const byIdentity = new Map<string, { subject: BaselineSubject; at: number; index: number }[]>();
    proposals.forEach((p, index) => {
      const subject = baselineSubject(p.event, settings);
      if (!subject) return;
      const list = byIdentity.get(subject.identity) ?? [];
      list.push({ subject, at: p.at, index });
      byIdentity.set(subject.identity, list);
    });
    if (byIdentity.size === 0) return { confirmed, learned: 0, saturated: 0 };

    const iso = (ms: number) => new Date(ms).toISOString();
    const batchStart = proposals.reduce((min, p) => Math.min(min, p.at), Number.POSITIVE_INFINITY);
    // Humans learn from the cluster's first baseline event: a person first seen later is already "new".
    const needsCluster = [...byIdentity.values()].some((list) => list[0].subject.kind === 'human');
    const clusterWindow = needsCluster ? await this.store.clusterStart(cluster, { firstSeen: iso(batchStart), learningUntil: iso(batchStart + learningMs) }) : null;

    let learned = 0;
    let saturated = 0;
    await Promise.all(
      [...byIdentity.values()].map(async (list) => {
        const { identity, kind } = list[0].subject;
        const read = async (): Promise<LearnedSet> => {
          const first = list.reduce((min, l) => Math.min(min, l.at), Number.POSITIVE_INFINITY);
          const start = { kind, firstSeen: iso(first), learningUntil: kind === 'human' ? clusterWindow!.learningUntil : iso(first + learningMs) };
          return learnedSet(await this.store.getOrStart(cluster, identity, start));
        };
        const cached = this.cached(cluster, identity);
        let current = cached ?? (await read());
        let fromStore = cached === null;
        const toLearn = [...new Set(list.filter((l) => l.at < current.learningUntil && !current.tuples.has(l.subject.key)).map((l) => l.subject.key))];
        if (toLearn.length > 0 && !(current.saturated && current.tuples.size >= maxTuples)) {
          const wasSaturated = current.saturated;
          current = learnedSet(await this.store.learn(cluster, identity, toLearn, maxTuples));
          fromStore = true;
          learned += toLearn.filter((t) => current.tuples.has(t)).length;
          if (current.saturated && !wasSaturated) saturated++;
        }
        const isNew = (l: (typeof list)[number]) => l.at >= current.learningUntil && !current.tuples.has(l.subject.key);
        // An alert is decided on the stored set, not on this instance's copy (another one may have learned since).
        if (!fromStore && list.some(isNew)) current = await read();
        for (const l of list) if (isNew(l)) confirmed[l.index] = true;
        this.remember(cluster, identity, current);
      }),
    );
    return { confirmed, learned, saturated };
  }

  private remember(cluster: string, identity: string, learnedSet: LearnedSet): void {
    if (this.knownIdentities >= KNOWN_MAX_IDENTITIES) {
      this.knownSets.clear();
      this.knownIdentities = 0;
    }
    let identities = this.knownSets.get(cluster);
    if (!identities) this.knownSets.set(cluster, (identities = new Map()));
    if (!identities.has(identity)) this.knownIdentities++;
    identities.set(identity, { ...learnedSet, until: this.batchTime + KNOWN_TTL_MS });
  }
}

/** What deciding needs of a stored baseline. */
interface LearnedSet {
  tuples: Set<string>;
  learningUntil: number;
  saturated: boolean;
}

function learnedSet(baseline: Baseline): LearnedSet {
  return { tuples: new Set(baseline.tuples), learningUntil: Date.parse(baseline.learningUntil), saturated: baseline.saturated };
}
