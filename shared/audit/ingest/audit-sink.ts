// The audit-sink Lambda's three triggers, told apart by shape and handled by the ingest core:
// - API Gateway HTTP API (payload v2): POST /audit/{cluster}, the API server's audit webhook;
// - CloudWatch Logs subscription (`awslogs.data`): EKS control-plane audit logs;
// - SQS: large webhook batches the HTTP path queued (partial batch failures retry only the failed).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { PartialItemFailureResponse } from '@aws-lambda-powertools/batch/types';
import { httpRequestOf, jsonResponse } from '../../runtime/http.ts';
import { parseAuditBatchJob, type AuditBatchQueue } from './batch-queue.ts';
import { ingestCloudWatchLogs, isCloudWatchLogsEvent } from './cloudwatch-logs.ts';
import type { AuditIngest, AuditIngestOutcome } from './sink.ts';
import type { AuditTokens } from './tokens.ts';
import { handleAuditWebhook } from './webhook.ts';

export interface AuditSinkDeps {
  ingest: AuditIngest;
  tokens: () => Promise<AuditTokens>;
  queue?: AuditBatchQueue;
  /** Structured log line (never given tokens or event bodies). */
  log: (message: string, attributes: Record<string, unknown>) => void;
  /** Counts a metric (EventsReceived, EventsRejected, FindingsOpened, ...). */
  metric: (name: string, value: number) => void;
}

export type AuditSinkResult = APIGatewayProxyStructuredResultV2 | PartialItemFailureResponse | { acknowledged: string };

const AUDIT_ROUTE = /^\/audit\/([^/]+)\/?$/;

function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: { eventSource?: unknown }[] } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && records.every((r) => r?.eventSource === 'aws:sqs');
}

function isHttpEvent(event: unknown): event is APIGatewayProxyEventV2 {
  return typeof (event as { requestContext?: { http?: unknown } } | null)?.requestContext?.http === 'object';
}

function record(deps: AuditSinkDeps, path: string, cluster: string, outcome: AuditIngestOutcome): void {
  deps.metric('EventsReceived', outcome.events);
  deps.metric('EventsRejected', outcome.rejected);
  deps.metric('EventsDuplicate', outcome.duplicates);
  deps.metric('FindingsOpened', outcome.opened);
  deps.log('audit batch', { path, cluster, events: outcome.events, rejected: outcome.rejected, duplicates: outcome.duplicates, findings: outcome.findings, opened: outcome.opened, errors: outcome.errors });
}

export async function handleAuditSinkEvent(event: unknown, deps: AuditSinkDeps, context?: Context): Promise<AuditSinkResult> {
  if (isCloudWatchLogsEvent(event)) {
    const result = await ingestCloudWatchLogs(event.awslogs.data, deps.ingest);
    if (result.kind === 'audit') record(deps, 'cloudwatch-logs', result.cluster, result.outcome);
    else deps.log('cloudwatch logs delivery skipped', { kind: result.kind, ...(result.kind === 'ignored' ? { reason: result.reason } : {}) });
    return { acknowledged: result.kind };
  }

  if (isSqsEvent(event)) {
    const processor = new BatchProcessor(EventType.SQS);
    const onRecord = async (message: SQSRecord) => {
      const job = parseAuditBatchJob(message.body);
      record(deps, 'queue', job.cluster, await deps.ingest(job.cluster, job.events));
    };
    return processPartialResponse(event, onRecord, processor, { context });
  }

  if (isHttpEvent(event)) {
    const request = httpRequestOf(event);
    const route = AUDIT_ROUTE.exec(request.path);
    if (request.method !== 'POST' || !route) return jsonResponse(404, { message: 'no such route (POST /audit/{cluster})' });
    let cluster: string;
    try {
      cluster = decodeURIComponent(route[1]);
    } catch {
      return jsonResponse(404, { message: 'unknown cluster' });
    }
    const response = await handleAuditWebhook({ cluster, authorization: request.headers.authorization, body: request.body }, deps);
    deps.metric(`Webhook${response.statusCode}`, 1);
    if (response.statusCode === 200) {
      const { events = 0, rejected = 0, duplicates = 0, findings = 0, opened = 0, errors = [] } = response.body;
      record(deps, 'webhook', cluster, { events, rejected, duplicates, findings, opened, errors, metrics: {} });
    } else deps.log('audit webhook', { cluster: response.statusCode === 404 ? null : cluster, status: response.statusCode, message: response.body.message });
    return jsonResponse(response.statusCode, response.body);
  }

  throw new Error('audit-sink: unrecognised event (expected API Gateway v2, CloudWatch Logs or SQS)');
}
