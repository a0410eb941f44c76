// EKS control-plane audit logs arrive through a CloudWatch Logs subscription filter: the Lambda
// event carries `awslogs.data`, base64 of the gzipped JSON envelope. Each log event's message is
// one audit event; the cluster is named by the log group `/aws/eks/<cluster>/cluster`.
import { gunzipSync } from 'node:zlib';
import type { AuditIngest, AuditIngestOutcome } from './sink.ts';

/** The decoded subscription envelope (the fields Shipwatch uses). */
export interface LogsEnvelope {
  messageType: string;
  logGroup: string;
  logStream: string;
  logEvents: { id?: string; timestamp?: number; message: string }[];
}

export type DecodedLogs =
  /** CloudWatch's test message when a subscription is created: acknowledged, nothing to do. */
  | { kind: 'control' }
  | { kind: 'audit'; cluster: string; logStream: string; messages: string[] }
  /** A data message that is not from an EKS audit stream (another log group, or the cluster's api/authenticator/... streams). */
  | { kind: 'ignored'; reason: string };

const EKS_LOG_GROUP = /^\/aws\/eks\/([^/]+)\/cluster$/;
/** EKS writes the API server audit log to streams named `kube-apiserver-audit-<id>`. */
const AUDIT_STREAM_PREFIX = 'kube-apiserver-audit-';

/** Decompressed envelopes above this are refused (a subscription payload is at most ~1 MB compressed). */
const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

/** True for an event shaped like a CloudWatch Logs subscription delivery. */
export function isCloudWatchLogsEvent(event: unknown): event is { awslogs: { data: string } } {
  const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  return typeof data === 'string';
}

/** The EKS cluster a log group belongs to, or null. */
export function clusterOfLogGroup(logGroup: string): string | null {
  return EKS_LOG_GROUP.exec(logGroup)?.[1] ?? null;
}

/** Decodes `awslogs.data`; throws on data that is not base64 gzip of a subscription envelope. */
export function decodeCloudWatchLogs(data: string): DecodedLogs {
  const json = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_ENVELOPE_BYTES }).toString('utf8');
  const envelope = JSON.parse(json) as Partial<LogsEnvelope>;
  if (envelope.messageType === 'CONTROL_MESSAGE') return { kind: 'control' };
  if (envelope.messageType !== 'DATA_MESSAGE' || typeof envelope.logGroup !== 'string' || !Array.isArray(envelope.logEvents)) {
    throw new Error('not a CloudWatch Logs subscription envelope');
  }
  const cluster = clusterOfLogGroup(envelope.logGroup);
  if (!cluster) return { kind: 'ignored', reason: 'log group is not /aws/eks/<cluster>/cluster' };
  const logStream = typeof envelope.logStream === 'string' ? envelope.logStream : '';
  if (logStream && !logStream.startsWith(AUDIT_STREAM_PREFIX)) return { kind: 'ignored', reason: 'log stream is not an API server audit stream' };
  const messages = envelope.logEvents.map((e) => e?.message).filter((m): m is string => typeof m === 'string');
  return { kind: 'audit', cluster, logStream, messages };
}

export type LogsIngestResult =
  | { kind: 'control' }
  | { kind: 'ignored'; reason: string }
  | { kind: 'audit'; cluster: string; outcome: AuditIngestOutcome };

/**
 * One subscription delivery through the sink. Messages that are not JSON are counted as rejected
 * (never alerted on); processing failures throw, so Lambda's retry of the delivery re-runs it
 * (duplicates are recognised by auditID + stage).
 */
export async function ingestCloudWatchLogs(data: string, ingest: AuditIngest): Promise<LogsIngestResult> {
  const decoded = decodeCloudWatchLogs(data);
  if (decoded.kind !== 'audit') return decoded;
  const items: unknown[] = [];
  const unparseable: { index: number; message: string }[] = [];
  decoded.messages.forEach((message, index) => {
    try {
      items.push(JSON.parse(message));
    } catch {
      unparseable.push({ index, message: 'log message is not JSON' });
    }
  });
  const outcome = await ingest(decoded.cluster, items);
  return {
    kind: 'audit',
    cluster: decoded.cluster,
    outcome: {
      ...outcome,
      events: decoded.messages.length,
      rejected: outcome.rejected + unparseable.length,
      errors: [...unparseable, ...outcome.errors].slice(0, 10),
    },
  };
}
