import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createAwsAuditIngest } from '../../shared/audit/ingest/aws.ts';
import { handleAuditSinkEvent } from '../../shared/audit/ingest/audit-sink.ts';
import type { AuditBatchJob } from '../../shared/audit/ingest/batch-queue.ts';
import { auditTokensFromJson } from '../../shared/audit/ingest/tokens.ts';
import { SqsJobQueue } from '../../shared/queue/sqs.ts';
import { logger, metrics, lambdaHandler, requiredEnv } from '../../shared/runtime/lambda.ts';
import { secretJson } from '../../shared/runtime/secrets.ts';

const ingest = createAwsAuditIngest({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME'), configLocation: process.env.SHIPWATCH_AUDIT_CONFIG || undefined });
const queueUrl = process.env.SHIPWATCH_AUDIT_QUEUE_URL;
const queue = queueUrl ? new SqsJobQueue<AuditBatchJob>({ queueUrl }) : undefined;
// {"<cluster>": "<token>"}; until the operator sets it every webhook request is refused.
const tokens = async () => auditTokensFromJson(await secretJson(process.env.SHIPWATCH_AUDIT_TOKENS_SECRET_ARN));

/** Audit webhook (POST /audit/{cluster}), EKS audit logs (CloudWatch Logs subscription) and queued large batches (SQS). */
export const handler = lambdaHandler((event: unknown, context: Context) =>
  handleAuditSinkEvent(
    event,
    {
      ingest,
      tokens,
      queue,
      log: (message, attributes) => logger.info(message, attributes),
      metric: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    },
    context,
  ),
);
