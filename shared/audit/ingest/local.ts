// The audit sink inside `shipwatch serve`: the same webhook handler and ingest core as the Lambda,
// with in-process state, baselines and queue (or the DynamoDB adapters when the server runs
// against AWS), and the node:http plumbing: authenticate on the headers and refuse oversized
// bodies before reading them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FindingStore } from '../../pipeline/ports.ts';
import { InProcessQueue } from '../../queue/local.ts';
import { baselineApiOptions, handleBaselineRequest } from '../baseline/api.ts';
import { BaselineLearner } from '../baseline/learner.ts';
import { MemoryBaselineStore, type BaselineStore } from '../baseline/store.ts';
import { DynamoBaselineStore } from '../baseline/store-dynamodb.ts';
import { MemoryAuditState, type AuditState } from '../state.ts';
import { DynamoAuditState } from '../state-dynamodb.ts';
import type { AuditBatchJob } from './batch-queue.ts';
import { configLoader } from './config-source.ts';
import { createConfiguredIngest } from './sink.ts';
import { authorizeAuditRequest, parseAuditTokens } from './tokens.ts';
import { handleAuditWebhook, MAX_AUDIT_BODY_BYTES } from './webhook.ts';

export interface LocalAuditSinkOptions {
  env: NodeJS.ProcessEnv;
  /** Where findings go (the server's alerting store). */
  store: FindingStore;
  /** DynamoDB table when the server runs against AWS; absent: in-memory state and baselines. */
  tableName?: string;
  log: (line: string) => void;
}

export interface LocalAuditSink {
  /** POST /audit/{cluster} (cluster still URL-encoded). */
  webhook(req: IncomingMessage, res: ServerResponse, clusterSegment: string): Promise<void>;
  /** GET / DELETE /baselines/{cluster}/{serviceAccount}. */
  baselines(req: IncomingMessage, res: ServerResponse, path: string, principal: string): Promise<void>;
  /** Resolves when every queued batch has been evaluated. */
  idle(): Promise<void>;
}

export function createLocalAuditSink(options: LocalAuditSinkOptions): LocalAuditSink {
  const { env, log } = options;
  const tokens = parseAuditTokens(env.SHIPWATCH_AUDIT_TOKENS);
  const state: AuditState = options.tableName ? new DynamoAuditState({ tableName: options.tableName }) : new MemoryAuditState();
  const baselineStore: BaselineStore = options.tableName ? new DynamoBaselineStore({ tableName: options.tableName }) : new MemoryBaselineStore();
  const loadConfig = configLoader(env.SHIPWATCH_AUDIT_CONFIG || undefined);
  const ingest = createConfiguredIngest({ loadConfig, state, baselines: new BaselineLearner(baselineStore), store: options.store });
  const queue = new InProcessQueue<AuditBatchJob>(
    async (job) => {
      const outcome = await ingest(job.cluster, job.events);
      log(`audit ${job.cluster} (queued batch): ${outcome.events} events, ${outcome.rejected} rejected, ${outcome.opened} new findings`);
    },
    { onDeadLetter: (l) => log(`audit batch for ${l.job.cluster} dropped after ${l.receiveCount} attempts: ${(l.error as Error).message}`) },
  );

  return {
    async webhook(req, res, clusterSegment) {
      let cluster: string;
      try {
        cluster = decodeURIComponent(clusterSegment);
      } catch {
        return reply(res, 404, { message: 'unknown cluster' });
      }
      // Refuse before reading: an unauthenticated or oversized body is never buffered.
      const auth = authorizeAuditRequest(tokens, cluster, req.headers.authorization);
      if (!auth.ok) return reply(res, auth.statusCode, { message: auth.message });
      const read = await readCappedBody(req, MAX_AUDIT_BODY_BYTES);
      if ('refused' in read) {
        if (read.refused === 'aborted') return;
        return reply(res, 413, { message: `body over ${MAX_AUDIT_BODY_BYTES} bytes; lower --audit-webhook-truncate-max-batch-size` });
      }
      const out = await handleAuditWebhook({ cluster, authorization: req.headers.authorization, body: read.body }, { tokens: async () => tokens, ingest, queue });
      log(`audit ${cluster}: ${out.statusCode} ${out.body.message}${out.body.events !== undefined ? ` (${out.body.events} events, ${out.body.rejected ?? 0} rejected, ${out.body.opened ?? 0} new findings)` : ''}`);
      return reply(res, out.statusCode, out.body);
    },

    async baselines(req, res, path, principal) {
      const options = baselineApiOptions((await loadConfig()).config.audit);
      const out = await handleBaselineRequest({ method: req.method ?? 'GET', path, principal }, baselineStore, options);
      return reply(res, out.statusCode, out.body);
    },

    idle: () => queue.idle(),
  };
}

export type CappedBody = { body: string } | { refused: 'too-large' | 'aborted' };

/**
 * The body as text, or refused as soon as it is known to exceed `maxBytes` (a Content-Length above
 * it, or the bytes read so far): from then on the rest is discarded as it arrives, never kept.
 */
export function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<CappedBody> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ refused: 'too-large' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd);
      chunks.length = 0;
      // Keep reading into nothing, so the 413 can be written while the sender is still sending.
      req.resume();
      resolve({ refused: 'too-large' });
    };
    const onEnd = () => resolve({ body: Buffer.concat(chunks).toString('utf8') });
    req.on('data', onData).on('end', onEnd).once('error', reject);
    // A sender that goes away mid-body: nothing to answer (a settled promise ignores this).
    req.once('close', () => resolve({ refused: 'aborted' }));
  });
}

/** How long a sender that keeps sending a refused body is read (and dropped) before the connection is cut. */
const DRAIN_LIMIT_MS = 2000;

/**
 * Answers. When the body was refused unread, the answer goes out while the sender is still
 * sending; what it sends afterwards is read and dropped (never kept) for a moment, so it can read
 * the answer, then the connection is cut.
 */
function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  const req = res.req;
  if (req.complete) return;
  req.resume();
  const cut = setTimeout(() => req.socket.destroy(), DRAIN_LIMIT_MS);
  cut.unref();
  req.once('end', () => clearTimeout(cut)).once('close', () => clearTimeout(cut));
}
