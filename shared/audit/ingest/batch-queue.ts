// Large webhook batches are not evaluated while the API server waits: they are split into queue
// messages (SQS in AWS, the in-process queue locally) that the audit-sink's queue path evaluates.
// A message holds at most MAX_EVENTS_PER_MESSAGE events and stays under SQS's 256 KiB limit.
import * as z from 'zod';

export interface AuditBatchJob {
  type: 'audit-batch';
  cluster: string;
  events: unknown[];
}

/** What the webhook path sends large batches to (SqsJobQueue<AuditBatchJob>, InProcessQueue<AuditBatchJob>). */
export interface AuditBatchQueue {
  send(job: AuditBatchJob): Promise<void>;
}

export const MAX_EVENTS_PER_MESSAGE = 500;
/** Below SQS's 256 KiB message limit, with room for the envelope and attributes. */
export const MAX_MESSAGE_BYTES = 200 * 1024;

/**
 * Splits a batch into queue jobs by count and serialized size. An item too large for any message
 * on its own comes back in `oversized` (the caller evaluates it in place; the API server's
 * `--audit-webhook-truncate-max-event-size` keeps these from happening).
 */
export function splitAuditBatch(cluster: string, events: readonly unknown[], limits = { maxEvents: MAX_EVENTS_PER_MESSAGE, maxBytes: MAX_MESSAGE_BYTES }): { jobs: AuditBatchJob[]; oversized: unknown[] } {
  const envelope = Buffer.byteLength(JSON.stringify({ type: 'audit-batch', cluster, events: [] }));
  const jobs: AuditBatchJob[] = [];
  const oversized: unknown[] = [];
  let current: unknown[] = [];
  let bytes = envelope;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event) ?? 'null') + 1;
    if (envelope + size > limits.maxBytes) {
      oversized.push(event);
      continue;
    }
    if (current.length >= limits.maxEvents || bytes + size > limits.maxBytes) {
      jobs.push({ type: 'audit-batch', cluster, events: current });
      current = [];
      bytes = envelope;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) jobs.push({ type: 'audit-batch', cluster, events: current });
  return { jobs, oversized };
}

const jobSchema = z.strictObject({ type: z.literal('audit-batch'), cluster: z.string().min(1).max(100), events: z.array(z.unknown()) });

/** A queue message as an audit batch; anything else is a poison message and throws (it ends in the DLQ). */
export function parseAuditBatchJob(body: string): AuditBatchJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error('audit batch message is not JSON');
  }
  const parsed = jobSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid audit batch message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ')}`);
  return parsed.data as AuditBatchJob;
}
