// The one path every audit front door ends in: a batch of raw items of one cluster through the
// processor (detections, grouping, thresholds, baselines), and its findings into the findings
// store with `upsert` (the table's stream, or the local alerting store, then alerts on new ones).
import type { ShipwatchConfig } from '../../config/config.ts';
import type { FindingStore } from '../../pipeline/ports.ts';
import type { BaselineLearner } from '../baseline/learner.ts';
import { createAuditProcessor, type AuditProcessor } from '../processor.ts';
import type { AuditState } from '../state.ts';

export interface AuditIngestOutcome {
  /** Items received. */
  events: number;
  /** Items that are not audit events (or not JSON), counted and never alerted on. */
  rejected: number;
  duplicates: number;
  /** Findings written (new or updated groups). */
  findings: number;
  /** Findings this batch opened (new alerts). */
  opened: number;
  /** The first few rejection reasons, by index in the batch. */
  errors: { index: number; message: string }[];
  metrics: Record<string, number>;
}

export type AuditIngest = (cluster: string, items: readonly unknown[]) => Promise<AuditIngestOutcome>;

/** Reasons listed in a response or log line; the rest are only counted. */
const MAX_REPORTED_ERRORS = 10;

export function createAuditIngest(deps: { processor: AuditProcessor; store: FindingStore }): AuditIngest {
  return async (cluster, items) => {
    const result = await deps.processor.process(cluster, items);
    if (result.findings.length > 0) await deps.store.upsert({ cluster }, result.findings);
    return {
      events: items.length,
      rejected: result.rejected,
      duplicates: result.duplicates,
      findings: result.findings.length,
      opened: result.opened.length,
      errors: result.errors.slice(0, MAX_REPORTED_ERRORS),
      metrics: result.metrics,
    };
  };
}

/**
 * An ingest whose processor follows the configuration: rebuilt when the configuration text
 * changes (state, baselines and store stay the same objects).
 */
export function createConfiguredIngest(deps: {
  loadConfig: () => Promise<{ config: ShipwatchConfig; text: string }>;
  state: AuditState;
  baselines?: BaselineLearner;
  store: FindingStore;
}): AuditIngest {
  let current: { text: string; ingest: AuditIngest } | null = null;
  return async (cluster, items) => {
    const { config, text } = await deps.loadConfig();
    if (current?.text !== text) {
      const processor = createAuditProcessor({ config, state: deps.state, baselines: deps.baselines });
      current = { text, ingest: createAuditIngest({ processor, store: deps.store }) };
    }
    return current.ingest(cluster, items);
  };
}
