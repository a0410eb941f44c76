import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler, logger, metrics, requiredEnv } from '../../shared/runtime/lambda.ts';
import { S3VulnDataStore } from '../../shared/vuln/s3-store.ts';
import { DEFAULT_OSV_BASE_URL, parseEcosystemList, syncVulnDb } from '../../shared/vuln/sync.ts';

const store = new S3VulnDataStore({ bucket: requiredEnv('SHIPWATCH_VULN_BUCKET'), prefix: '' });

/** Scheduled daily: refreshes the OSV exports and the index the image scanner reads. */
export const handler = lambdaHandler(async () => {
  const result = await syncVulnDb({
    store,
    ecosystems: parseEcosystemList(process.env.SHIPWATCH_OSV_ECOSYSTEMS),
    baseUrl: process.env.SHIPWATCH_OSV_BASE_URL || DEFAULT_OSV_BASE_URL,
  });
  for (const outcome of result.ecosystems) {
    const log = outcome.status === 'failed' ? logger.error.bind(logger) : logger.info.bind(logger);
    log('ecosystem synced', { ...outcome });
  }
  metrics.addMetric('VulnDbEcosystemsFailed', MetricUnit.Count, result.ecosystems.filter((e) => e.status === 'failed').length);
  logger.info('vulnerability index written', { dataVersion: result.manifest.dataVersion, ecosystems: Object.keys(result.manifest.ecosystems) });
  const failed = result.ecosystems.filter((e) => e.status === 'failed');
  // A failure surfaces as a function error (and its alarm); the other ecosystems were still updated.
  if (failed.length) throw new Error(`vulndb sync failed for ${failed.map((e) => e.ecosystem).join(', ')}`);
  return { dataVersion: result.manifest.dataVersion, ecosystems: result.ecosystems };
});
