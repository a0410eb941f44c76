import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseAllowedRegistries } from '../../shared/image/registry/allowlist.ts';
import { DEFAULT_VULN_DB_MAX_AGE_DAYS } from '../../shared/image/scan.ts';
import { runImageScan } from '../../shared/image/triggers/image-scan.ts';
import { parseImageScanJob } from '../../shared/image/triggers/job.ts';
import { lambdaHandler, logger, metrics, requiredEnv } from '../../shared/runtime/lambda.ts';
import { DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { openVulnDb } from '../../shared/vuln/index-db.ts';

const store = new DynamoFindingStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const registries = parseAllowedRegistries(process.env.SHIPWATCH_REGISTRIES);
const vulnDbLocation = process.env.SHIPWATCH_VULN_DB;
const processor = new BatchProcessor(EventType.SQS);

/** One pushed image: a failure returns the message to the queue (and, after the retries, to the DLQ). */
async function scanRecord(record: SQSRecord): Promise<void> {
  const job = parseImageScanJob(record.body);
  const outcome = await runImageScan(job, {
    store,
    // The S3 index is cached across invocations of a warm function and re-checked for a newer version.
    vulnDb: async () => (vulnDbLocation ? openVulnDb(vulnDbLocation) : null),
    vulnDbMaxAgeDays: Number(process.env.SHIPWATCH_VULN_DB_MAX_AGE_DAYS) || DEFAULT_VULN_DB_MAX_AGE_DAYS,
    registries,
  });
  metrics.addMetric('ImageFindingsOpened', MetricUnit.Count, outcome.opened);
  metrics.addMetric('ImageFindingsSuperseded', MetricUnit.Count, outcome.superseded);
  logger.info('image scanned', {
    registry: job.registry,
    repository: job.repository,
    tag: job.tag,
    digest: job.digest,
    findings: outcome.result.findings.length,
    opened: outcome.opened,
    resolved: outcome.resolved,
    superseded: outcome.superseded,
    partial: outcome.partial,
    errors: outcome.result.errors,
    notices: outcome.result.notices.map((n) => n.message),
  });
}

export const handler = lambdaHandler((event: SQSEvent, context: Context) => processPartialResponse(event, scanRecord, processor, { context }));
