// The audit processor: a batch of raw events of one cluster in, findings out. One engine for the
// three front doors (audit-sink Lambda, `shipwatch serve`, `shipwatch audit`); only the state
// behind it differs (DynamoDB or memory). See detection.ts for what it does around detections.
import { fingerprint as findingFingerprint, severityRank, type Finding, type Severity } from '../findings/finding.ts';
import { ConfigError, type ShipwatchConfig } from '../config/config.ts';
import { ruleById } from '../rules/registry.ts';
import { allDetections, resourceOf, type Detection, type DetectionContext, type DetectionMatch } from './detection.ts';
import './detections/all.ts';
import './baseline/detections.ts';
import type { BaselineLearner } from './baseline/learner.ts';
import { toAuditEvent, type AuditEvent } from './event.ts';
import { compileExceptions, type CompiledException } from './exceptions.ts';
import { maskSecrets } from './mask.ts';
import { extractPodSpec, type PodSpecView } from './pod-spec.ts';
import type { AlertRoute } from '../notify/alert.ts';
import { resolveAuditSettings, type AuditSettings } from './settings.ts';
import type { AuditState, GroupRecord } from './state.ts';

export interface AuditBatchResult {
  /** One finding per touched group, with its count after this batch (the store upserts them by fingerprint). */
  findings: Finding[];
  /** Fingerprints of the findings this batch opened (new alerts); the others only updated an open group. */
  opened: string[];
  /** Items that are not audit events (§0.1). */
  rejected: number;
  /** Repeated deliveries of an already processed auditID + stage (among events that match a detection: others have no effect either way). */
  duplicates: number;
  /** Rejected items and detection failures, by index in the batch. */
  errors: { index: number; message: string }[];
  /** events, evaluated, ignored_stage, rejected, duplicates, matches, suppressed, spec_unavailable.<id>, ... */
  metrics: Record<string, number>;
}

export interface AuditProcessor {
  process(cluster: string, events: readonly unknown[]): Promise<AuditBatchResult>;
  /**
   * Several batches of one cluster in a row (a log file read in chunks) with one result: each
   * touched group's finding is built once at the end, error indices count across all batches.
   */
  processAll(cluster: string, batches: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): Promise<AuditBatchResult>;
  readonly settings: AuditSettings;
  /** The detections this configuration runs. */
  readonly detections: readonly Detection<unknown>[];
  /** Configuration problems worth telling the operator (unknown detection ids, invalid CIDRs). */
  readonly warnings: readonly string[];
}

export interface AuditProcessorOptions {
  config?: ShipwatchConfig;
  state: AuditState;
  now?: () => Date;
  /** Defaults to every registered detection. */
  detections?: readonly Detection<unknown>[];
  /** Learned baselines (AUDIT-BASELINE-001/002); without it those detections do not run. */
  baselines?: BaselineLearner;
}

/** What most events match (shared, never written to). */
const NO_MATCHES: EventMatch[] = [];
/** How long a processed auditID + stage is remembered across batches. */
const CLAIM_TTL_SECONDS = 24 * 3600;
/** In-process memory of recent auditID + stage keys (duplicates inside and across nearby batches, without a state round trip). */
const RECENT_KEYS = 100_000;

interface PreparedDetection {
  detection: Detection<unknown>;
  ctx: DetectionContext<unknown>;
  exceptions: CompiledException[];
  threshold: { count: number; windowSeconds: number; distinct: boolean } | null;
}

interface EventMatch {
  prepared: PreparedDetection;
  match: DetectionMatch;
  absorbed: string[];
}

/** The last state of each group a run touched, by group and window; findings are built from it once. */
type Touched = Map<string, { groupKey: string; group: GroupRecord; m: EventMatch; event: AuditEvent; suppressedBy: CompiledException | null; opened: boolean }>;

const emptyMetrics = (): Record<string, number> => ({ events: 0, evaluated: 0, ignored_stage: 0, rejected: 0, duplicates: 0, matches: 0, suppressed: 0 });

interface PendingEvent {
  index: number;
  event: AuditEvent;
  at: number;
  stageKey: string;
  matches: EventMatch[];
}

export function createAuditProcessor(options: AuditProcessorOptions): AuditProcessor {
  const settings = resolveAuditSettings(options.config?.audit);
  const now = options.now ?? (() => new Date());
  const warnings = [...settings.warnings, ...unknownIds(settings)];
  const exceptions = compileExceptions(settings.exceptions);

  // Per-event scratch shared by the detection contexts (the processor evaluates one event at a time).
  let current: AuditEvent | null = null;
  let currentSpec: PodSpecView | 'unavailable' | null | undefined;
  let metrics: Record<string, number> = {};
  const count = (name: string, by = 1) => (metrics[name] = (metrics[name] ?? 0) + by);

  const prepared: PreparedDetection[] = [];
  for (const detection of options.detections ?? allDetections()) {
    const enabled = settings.disable.has(detection.id) ? false : detection.enabledByDefault || settings.enable.has(detection.id);
    if (!enabled || (detection.baseline && !options.baselines)) continue;
    if (detection.isConfigured && !detection.isConfigured(settings)) {
      if (settings.enable.has(detection.id)) warnings.push(`${detection.id} is enabled but not configured (it needs a list in the audit section)`);
      continue;
    }
    let detectionOptions: unknown = settings.options[detection.id] ?? {};
    if (detection.optionsSchema) {
      const parsed = detection.optionsSchema.safeParse(detectionOptions);
      if (!parsed.success) throw new ConfigError('.shipwatch.yaml', `audit.options.${detection.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`);
      detectionOptions = parsed.data;
    }
    const id = detection.id;
    const ctx: DetectionContext<unknown> = {
      cluster: '',
      settings,
      options: detectionOptions,
      podSpec() {
        if (current === null) return null;
        if (currentSpec === undefined) currentSpec = extractPodSpec(current);
        if (currentSpec === 'unavailable') {
          count(`spec_unavailable.${id}`);
          return null;
        }
        return currentSpec;
      },
      metric: (name, by = 1) => count(`${name}.${id}`, by),
      baselineKnown(identity, tupleKey) {
        return options.baselines?.known(this.cluster, identity, tupleKey) ?? false;
      },
    };
    const configured = settings.thresholds[id];
    const threshold = detection.threshold
      ? { count: configured?.count ?? detection.threshold.count, windowSeconds: configured?.windowSeconds ?? detection.threshold.windowSeconds, distinct: detection.threshold.distinct === true }
      : null;
    const exceptionIds = new Set([id, ...(detection.exceptionsFrom ?? [])]);
    prepared.push({ detection, ctx, exceptions: exceptions.filter((e) => exceptionIds.has(e.detection)), threshold });
  }

  // Detections per objectRef.resource and verb, built on first use of each pair.
  const byResource = new Map<string, Map<string, PreparedDetection[]>>();
  const candidates = (resource: string, verb: string): PreparedDetection[] => {
    let byVerb = byResource.get(resource);
    if (!byVerb) {
      byVerb = new Map();
      if (byResource.size < 1000) byResource.set(resource, byVerb);
    }
    let list = byVerb.get(verb);
    if (!list) {
      list = prepared.filter((p) => (!p.detection.resources || p.detection.resources.includes(resource)) && (!p.detection.verbs || p.detection.verbs.includes(verb)));
      if (byVerb.size < 100) byVerb.set(verb, list);
    }
    return list;
  };

  // Two generations of recently seen auditIDs per (cluster, stage key): when the newer generation
  // is full it becomes the older one, so between RECENT_KEYS/2 and RECENT_KEYS are remembered at
  // O(1) per event. auditIDs are looked up as parsed (no key concatenation per event).
  type Seen = Map<string, Map<string, Set<string>>>;
  let recent: Seen = new Map();
  let older: Seen = new Map();
  let recentSize = 0;
  const remember = (cluster: string, stageKey: string, auditID: string): boolean => {
    let ids = recent.get(cluster)?.get(stageKey);
    if (ids?.has(auditID) || older.get(cluster)?.get(stageKey)?.has(auditID)) return false;
    if (recentSize >= RECENT_KEYS / 2) {
      older = recent;
      recent = new Map();
      recentSize = 0;
      ids = undefined;
    }
    if (!ids) {
      let byStage = recent.get(cluster);
      if (!byStage) recent.set(cluster, (byStage = new Map()));
      byStage.set(stageKey, (ids = new Set()));
    }
    ids.add(auditID);
    recentSize++;
    return true;
  };

  async function process(cluster: string, events: readonly unknown[]): Promise<AuditBatchResult> {
    metrics = emptyMetrics();
    const touched: Touched = new Map();
    const errors = await runBatch(cluster, events, 0, touched);
    return finish(cluster, touched, errors);
  }

  async function processAll(cluster: string, batches: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>): Promise<AuditBatchResult> {
    metrics = emptyMetrics();
    const touched: Touched = new Map();
    const errors: AuditBatchResult['errors'] = [];
    let offset = 0;
    for await (const events of batches) {
      errors.push(...(await runBatch(cluster, events, offset, touched)));
      offset += events.length;
    }
    return finish(cluster, touched, errors);
  }

  /** Evaluates one batch and applies its matches to the state; `touched` collects the last state of every group. */
  async function runBatch(cluster: string, events: readonly unknown[], offset: number, touched: Touched): Promise<AuditBatchResult['errors']> {
    const errors: AuditBatchResult['errors'] = [];
    const pending: PendingEvent[] = [];
    const nowMs = now().getTime();
    for (const p of prepared) (p.ctx as { cluster: string }).cluster = cluster;
    options.baselines?.beginBatch();

    // Plain counters in the per-event loop; folded into the metrics after it.
    let rejected = 0;
    let ignoredStage = 0;
    let duplicates = 0;
    let evaluated = 0;
    for (let index = 0; index < events.length; index++) {
      const parsed = toAuditEvent(events[index]);
      if ('rejected' in parsed) {
        rejected++;
        errors.push({ index: offset + index, message: parsed.rejected });
        continue;
      }
      const event = parsed;
      const stageKey = evaluatedStage(event);
      if (stageKey === null) {
        ignoredStage++;
        continue;
      }
      evaluated++;
      const matches = evaluate(event, offset + index, errors);
      if (matches.length === 0) continue;
      // Evaluation is pure, so only an event that matched needs de-duplicating: a repeated delivery
      // that matches nothing changes nothing (and the lookup would cost more than the evaluation).
      if (event.auditID !== '' && !remember(cluster, stageKey, event.auditID)) {
        duplicates++;
        count('matches', -matches.length);
        continue;
      }
      pending.push({ index, event, at: Number.isNaN(event.at) ? nowMs : event.at, stageKey, matches });
    }
    count('events', events.length);
    count('rejected', rejected);
    count('ignored_stage', ignoredStage);
    count('duplicates', duplicates);
    count('evaluated', evaluated);

    if (options.baselines) await confirmBaselines(cluster, pending, options.baselines);

    // Across batches and Lambda instances, only events that change state need a shared claim:
    // evaluating a duplicate that matches nothing has no effect.
    const claimed: PendingEvent[] = [];
    await Promise.all(
      pending.map(async (p) => {
        if (p.event.auditID === '' || (await options.state.claimEvent(cluster, p.event.auditID, p.stageKey, CLAIM_TTL_SECONDS))) claimed.push(p);
        else count('duplicates');
      }),
    );
    claimed.sort((a, b) => a.index - b.index);

    // Matches of one group apply in event order; different groups apply concurrently.
    const chains = new Map<string, Promise<void>>();
    const failed = new Set<PendingEvent>();
    for (const p of claimed) {
      for (const m of p.matches) {
        const suppressedBy = m.prepared.exceptions.find((e) => e.applies(p.event, m.match)) ?? null;
        const groupKey = JSON.stringify(m.match.key) + (suppressedBy ? `\u0000suppressed:${suppressedBy.name}` : '');
        const stateKey = `${m.prepared.detection.id}\u0000${groupKey}`;
        const previous = chains.get(stateKey) ?? Promise.resolve();
        chains.set(
          stateKey,
          previous.then(async () => {
            if (failed.has(p)) return;
            try {
              const group = await applyToState(cluster, stateKey, m, p);
              if (!group) return;
              const id = `${stateKey}\u0000${group.firstSeen}`;
              touched.set(id, { groupKey, group, m, event: p.event, suppressedBy, opened: group.opened || touched.get(id)?.opened === true });
              if (suppressedBy) count('suppressed');
            } catch (e) {
              failed.add(p);
              throw e;
            }
          }),
        );
      }
    }
    const outcomes = await Promise.allSettled(chains.values());
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) {
      // Let the redelivery of the failed events count them again.
      await Promise.allSettled([...failed].map((p) => options.state.releaseEvent(cluster, p.event.auditID, p.stageKey)));
      throw failure.reason;
    }
    return errors;
  }

  /** Builds the finding of every touched group once (its last state). */
  function finish(cluster: string, touched: Touched, errors: AuditBatchResult['errors']): AuditBatchResult {
    const findings: Finding[] = [];
    const opened: string[] = [];
    for (const t of touched.values()) {
      const finding = buildFinding(cluster, t.groupKey, t.group, t.m, t.event, t.suppressedBy);
      findings.push(finding);
      if (t.opened) opened.push(finding.fingerprint);
    }
    metrics.opened = opened.length;
    return { findings, opened, rejected: metrics.rejected, duplicates: metrics.duplicates, errors, metrics };
  }

  /** Learns from the batch's baseline proposals and keeps only those its learner confirms as new behaviour. */
  async function confirmBaselines(cluster: string, pending: PendingEvent[], learner: BaselineLearner): Promise<void> {
    const proposals = pending.flatMap((p) => p.matches.filter((m) => m.prepared.detection.baseline).map((m) => ({ p, m })));
    if (proposals.length === 0) return;
    const outcome = await learner.confirm(cluster, proposals.map(({ p }) => ({ event: p.event, at: p.at })), settings);
    const dropped = new Set(proposals.filter((_, i) => !outcome.confirmed[i]).map(({ m }) => m));
    count('matches', -dropped.size);
    count('baseline_learned', outcome.learned);
    count('baseline_saturated', outcome.saturated);
    for (const p of pending) p.matches = p.matches.filter((m) => !dropped.has(m));
    pending.splice(0, pending.length, ...pending.filter((p) => p.matches.length > 0));
  }

  function evaluate(event: AuditEvent, index: number, errors: AuditBatchResult['errors']): EventMatch[] {
    current = event;
    currentSpec = undefined;
    let found: EventMatch[] = NO_MATCHES;
    for (const p of candidates(event.resource, event.verb)) {
      let result: ReturnType<Detection<unknown>['evaluate']>;
      try {
        result = p.detection.evaluate(event, p.ctx);
      } catch (e) {
        count(`detection_errors.${p.detection.id}`);
        errors.push({ index, message: `${p.detection.id} failed on this event: ${(e as Error).message}` });
        continue;
      }
      if (!result) continue;
      if (found === NO_MATCHES) found = [];
      for (const match of Array.isArray(result) ? (result as readonly DetectionMatch[]) : [result as DetectionMatch]) found.push({ prepared: p, match, absorbed: [] });
    }
    current = null;
    if (found.length > 1) absorb(found);
    if (found.length > 0) count('matches', found.length);
    return found;
  }

  async function applyToState(cluster: string, stateKey: string, m: EventMatch, p: PendingEvent): Promise<GroupRecord | null> {
    const touch = { at: p.at, windowSeconds: m.prepared.detection.windowSeconds, auditID: p.event.auditID };
    const threshold = m.prepared.threshold;
    if (!threshold) return options.state.touchGroup(cluster, stateKey, touch);
    const open = await options.state.touchOpenGroup(cluster, stateKey, touch);
    if (open) return open;
    const target = threshold.distinct ? (m.match.distinctTarget ?? '') : undefined;
    const reached = await options.state.addToCounter(cluster, stateKey, p.at, threshold.windowSeconds, target);
    if (reached < threshold.count) {
      count(`below_threshold.${m.prepared.detection.id}`);
      return null;
    }
    const group = await options.state.touchGroup(cluster, stateKey, touch);
    await options.state.resetCounter(cluster, stateKey);
    return group;
  }

  function buildFinding(cluster: string, groupKey: string, group: GroupRecord, m: EventMatch, event: AuditEvent, suppressedBy: CompiledException | null): Finding {
    const detection = m.prepared.detection;
    const severity: Severity = settings.severity[detection.id] ?? m.match.severity ?? detection.severity;
    const fingerprint = findingFingerprint({ ruleId: detection.id, target: `cluster:${cluster}`, field: `${groupKey}\u0000${group.firstSeen}` });
    const ref = event.objectRef;
    const command = m.match.command !== undefined ? maskSecrets(m.match.command) : null;
    return {
      ruleId: detection.id,
      severity,
      title: detection.title,
      message: maskSecrets(m.match.message),
      remediation: detection.remediation,
      fingerprint,
      source: 'audit',
      location: null,
      resource: m.match.resource ?? resourceOf(event),
      container: m.match.container ?? null,
      compliance: [...detection.compliance],
      suppressed: suppressedBy !== null,
      suppression: suppressedBy ? { source: 'config', reason: `${suppressedBy.name}: ${suppressedBy.reason}`, expires: null } : null,
      evidence: command,
      audit: {
        cluster,
        auditIDs: group.auditIDs,
        user: event.user.username || null,
        sourceIPs: event.sourceIPs,
        verb: event.verb || null,
        objectRef: ref ? Object.fromEntries(Object.entries(ref).filter(([, v]) => v !== '')) : null,
        count: group.count,
        firstSeen: new Date(group.firstSeen).toISOString(),
        lastSeen: new Date(group.lastSeen).toISOString(),
        detectionIds: [detection.id, ...m.absorbed],
        groupKey,
        stage: event.stage || null,
        requestURI: maskSecrets(event.requestURI) || null,
        userAgent: event.userAgent || null,
        groups: event.user.groups,
        uid: event.user.uid,
        extra: event.user.extra,
        impersonatedUser: event.impersonatedUser ? { username: event.impersonatedUser.username, groups: event.impersonatedUser.groups } : null,
        clientIP: event.clientIP,
        responseCode: event.responseCode,
        decision: event.decision || null,
        decisionReason: event.decisionReason || null,
        evidence: maskDeep(m.match.evidence ?? {}) as Record<string, unknown>,
        mitre: [...detection.mitre],
        tier: detection.tier,
        level: detection.level,
        ...(m.prepared.threshold ? { threshold: { count: m.prepared.threshold.count, windowSeconds: m.prepared.threshold.windowSeconds } } : {}),
        suppressedBy: suppressedBy?.name ?? null,
        routes: settings.routing[detection.id] ?? defaultRoutes(severity),
      },
    };
  }

  return {
    process,
    processAll,
    settings,
    detections: prepared.map((p) => p.detection),
    warnings,
  };
}

/**
 * §0.1 stage handling: the key an evaluated event is de-duplicated under, or null when its stage
 * is not evaluated. Streaming subresources share one key for ResponseStarted and ResponseComplete,
 * so whichever arrives first is evaluated and the other is a duplicate.
 */
export function evaluatedStage(event: AuditEvent): string | null {
  const stage = event.stage;
  if (event.isStreaming) return stage === 'ResponseStarted' || stage === 'ResponseComplete' || stage === '' ? 'stream' : null;
  return stage === 'ResponseComplete' || stage === '' ? stage || 'ResponseComplete' : null;
}

/** §0.5 merges: a match of a detection that absorbs others removes their matches on the same event. */
function absorb(found: EventMatch[]): void {
  const present = new Set(found.map((f) => f.prepared.detection.id));
  const absorbedIds = new Set<string>();
  for (const winner of found) {
    for (const id of winner.prepared.detection.absorbs ?? []) {
      if (!present.has(id) || id === winner.prepared.detection.id) continue;
      absorbedIds.add(id);
      if (!winner.absorbed.includes(id)) winner.absorbed.push(id);
    }
  }
  if (absorbedIds.size === 0) return;
  const kept = found.filter((f) => !absorbedIds.has(f.prepared.detection.id));
  found.length = 0;
  found.push(...kept);
}

/** Every string inside detection evidence masked (commands, URLs and annotations can carry credentials). */
function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  return value;
}

/** Catalog routing defaults: critical/high Slack + SNS immediately, medium Slack, low stored only. */
export function defaultRoutes(severity: Severity): AlertRoute[] {
  if (severityRank(severity) <= severityRank('high')) return ['slack', 'sns'];
  if (severity === 'medium') return ['slack'];
  return [];
}

function unknownIds(settings: AuditSettings): string[] {
  const named: [string, string[]][] = [
    ['audit.enable', [...settings.enable]],
    ['audit.disable', [...settings.disable]],
    ['audit.severity', Object.keys(settings.severity)],
    ['audit.thresholds', Object.keys(settings.thresholds)],
    ['audit.routing', Object.keys(settings.routing)],
    ['audit.exceptions', settings.exceptions.map((e) => e.detection)],
    ['audit.options', Object.keys(settings.options)],
  ];
  return named.flatMap(([where, ids]) => ids.filter((id) => ruleById(id)?.engine !== 'audit').map((id) => `${where}: no audit detection "${id}"`));
}
