import type { SQSEvent, SQSRecord, Context } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runIacScan } from '../../shared/pipeline/iac-scan.ts';
import { parseScanJob } from '../../shared/pipeline/jobs.ts';
import { DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { logger, metrics, lambdaHandler, requiredEnv } from '../../shared/runtime/lambda.ts';
import { scmClientsFromSecrets } from '../../shared/runtime/scm.ts';

const store = new DynamoFindingStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const processor = new BatchProcessor(EventType.SQS);

/** One scan job: a failure returns the message to the queue (and, after the retries, to the DLQ). */
async function scanRecord(record: SQSRecord): Promise<void> {
  const job = parseScanJob(record.body);
  const scm = (await scmClientsFromSecrets(logger))[job.provider];
  if (!scm) throw new Error(`no ${job.provider} credentials configured`);
  const outcome = await runIacScan(job, { scm, store });
  metrics.addMetric('FindingsOpened', MetricUnit.Count, outcome.opened);
  metrics.addMetric('FindingsResolved', MetricUnit.Count, outcome.resolved);
  logger.info('scanned', { type: job.type, repo: job.repo, findings: outcome.result.findings.length, opened: outcome.opened, resolved: outcome.resolved, conclusion: outcome.conclusion });
}

export const handler = lambdaHandler((event: SQSEvent, context: Context) => processPartialResponse(event, scanRecord, processor, { context }));
