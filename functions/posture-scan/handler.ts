import type { ScheduledEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AwsPostureSource } from '../../shared/posture/aws.ts';
import { DynamoInventoryStore } from '../../shared/posture/inventory-dynamodb.ts';
import { runPostureScan } from '../../shared/posture/scan.ts';
import { postureSettingsFromEnv } from '../../shared/posture/settings.ts';
import { DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { lambdaHandler, logger, metrics, requiredEnv } from '../../shared/runtime/lambda.ts';

const tableName = requiredEnv('SHIPWATCH_TABLE_NAME');
const settings = postureSettingsFromEnv(process.env);
const store = new DynamoFindingStore({ tableName });
const inventory = new DynamoInventoryStore({ tableName });
const source = new AwsPostureSource({ auditSinkArns: settings.auditSinkArns });

/** The scheduled posture scan: every configured account and region; a region that cannot be read fails the run after the others. */
export const handler = lambdaHandler(async (_event: ScheduledEvent) => {
  const outcomes = await runPostureScan(settings.accounts, { source, store, inventory, config: settings.config });
  for (const o of outcomes) {
    if (o.error) logger.error('region not scanned', { account: o.account, region: o.region, error: o.error });
    else logger.info('region scanned', { account: o.account, region: o.region, clusters: o.clusters, repositories: o.repositories, findings: o.findings, opened: o.opened, resolved: o.resolved, problems: o.problems });
    metrics.addMetric('PostureFindingsOpened', MetricUnit.Count, o.opened);
    metrics.addMetric('PostureFindingsResolved', MetricUnit.Count, o.resolved);
  }
  const failed = outcomes.filter((o) => o.error);
  metrics.addMetric('PostureRegionsFailed', MetricUnit.Count, failed.length);
  if (failed.length > 0) throw new Error(`posture scan could not read ${failed.map((o) => `${o.account ?? 'this account'}/${o.region}`).join(', ')}`);
  return { regions: outcomes.length, findings: outcomes.reduce((n, o) => n + o.findings, 0) };
});
