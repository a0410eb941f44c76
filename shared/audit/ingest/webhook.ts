// POST /audit/{cluster}: the Kubernetes API server's audit webhook backend. The API server blocks
// (or drops events, in batch mode) while this answers, so: authenticate, check the size, parse the
// envelope, then evaluate a normal batch in place or hand a large one to the queue.
import { parseEventList } from './event-list.ts';
import { splitAuditBatch, type AuditBatchQueue } from './batch-queue.ts';
import type { AuditIngest, AuditIngestOutcome } from './sink.ts';
import { authorizeAuditRequest, type AuditTokens } from './tokens.ts';

/** Bodies above this are refused (413). The API server's batch settings in docs/audit.md keep batches below it. */
export const MAX_AUDIT_BODY_BYTES = 5 * 1024 * 1024;
/** Batches up to this many events are evaluated while the API server waits; larger ones are queued. */
export const INLINE_MAX_EVENTS = 500;

export interface AuditWebhookRequest {
  cluster: string;
  /** The `Authorization` header. */
  authorization: string | undefined;
  body: string;
}

export interface AuditWebhookDeps {
  tokens: () => Promise<AuditTokens>;
  ingest: AuditIngest;
  /** Where batches above `inlineMaxEvents` go; without a queue every batch is evaluated in place. */
  queue?: AuditBatchQueue;
  inlineMaxEvents?: number;
  maxBodyBytes?: number;
}

export interface AuditWebhookResponse {
  statusCode: number;
  body: { message: string } & Partial<Omit<AuditIngestOutcome, 'metrics'>> & { queuedMessages?: number; processedInline?: number };
}

export async function handleAuditWebhook(req: AuditWebhookRequest, deps: AuditWebhookDeps): Promise<AuditWebhookResponse> {
  const auth = authorizeAuditRequest(await deps.tokens(), req.cluster, req.authorization);
  if (!auth.ok) return { statusCode: auth.statusCode, body: { message: auth.message } };
  const maxBytes = deps.maxBodyBytes ?? MAX_AUDIT_BODY_BYTES;
  if (Buffer.byteLength(req.body) > maxBytes) return { statusCode: 413, body: { message: `body over ${maxBytes} bytes; lower --audit-webhook-truncate-max-batch-size` } };

  const list = parseEventList(req.body);
  if (!list.ok) return { statusCode: 400, body: { message: list.reason } };

  if (deps.queue && list.items.length > (deps.inlineMaxEvents ?? INLINE_MAX_EVENTS)) {
    const { jobs, oversized } = splitAuditBatch(req.cluster, list.items);
    await Promise.all(jobs.map((job) => deps.queue!.send(job)));
    // Events too large for a message (truncation off on the API server) are evaluated here.
    if (oversized.length > 0) await deps.ingest(req.cluster, oversized);
    return { statusCode: 202, body: { message: 'batch queued', events: list.items.length, queuedMessages: jobs.length, processedInline: oversized.length } };
  }

  const outcome = await deps.ingest(req.cluster, list.items);
  const { metrics: _metrics, ...summary } = outcome;
  return { statusCode: 200, body: { message: 'batch processed', ...summary } };
}
