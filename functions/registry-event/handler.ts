import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { parseAllowedRegistries } from '../../shared/image/registry/allowlist.ts';
import type { ImageScanJob } from '../../shared/image/triggers/job.ts';
import { handleRegistryEvent, handleRegistryWebhook, type RegistryEventDeps, type RegistryEventResult } from '../../shared/image/triggers/registry-event.ts';
import { EcrScanFindings, ingestRegistryFindings } from '../../shared/image/triggers/registry-findings.ts';
import { SqsJobQueue } from '../../shared/queue/sqs.ts';
import { httpRequestOf, jsonResponse } from '../../shared/runtime/http.ts';
import { lambdaHandler, logger, metrics, requiredEnv } from '../../shared/runtime/lambda.ts';
import { secretString } from '../../shared/runtime/secrets.ts';
import { DynamoDeliveryLog, DynamoFindingStore } from '../../shared/store/dynamodb.ts';

const tableName = requiredEnv('SHIPWATCH_TABLE_NAME');
const store = new DynamoFindingStore({ tableName });
const source = new EcrScanFindings();
const deps: RegistryEventDeps = {
  token: async () => (await secretString(process.env.SHIPWATCH_REGISTRY_TOKEN_SECRET_ARN)) ?? undefined,
  allowed: parseAllowedRegistries(process.env.SHIPWATCH_REGISTRIES),
  deliveries: new DynamoDeliveryLog({ tableName }),
  queue: new SqsJobQueue<ImageScanJob>({ queueUrl: requiredEnv('SHIPWATCH_IMAGE_QUEUE_URL') }),
  ingest: (target) => ingestRegistryFindings(target, { source, store }),
  log: (message, fields) => logger.info(message, fields ?? {}),
};

function record(kind: string, out: RegistryEventResult): void {
  metrics.addMetric('ImageScansQueued', MetricUnit.Count, out.body.queued);
  if (out.body.refused.length) metrics.addMetric('RegistryEventsRefused', MetricUnit.Count, out.body.refused.length);
  if (out.body.ingested) metrics.addMetric('RegistryFindingsIngested', MetricUnit.Count, out.body.ingested);
  logger.info(kind, { status: out.statusCode, message: out.body.message, queued: out.body.queued, ignored: out.body.ignored, refused: out.body.refused, duplicates: out.body.duplicates });
}

/**
 * POST /webhooks/registry (Distribution notifications, Harbor) and EventBridge events (ECR push,
 * ECR scan, Inspector finding): verify, refuse registries outside the allowlist, enqueue or ingest.
 */
export const handler = lambdaHandler(
  async (event: APIGatewayProxyEventV2 | EventBridgeEvent<string, unknown>): Promise<APIGatewayProxyStructuredResultV2 | RegistryEventResult['body']> => {
    if ('detail-type' in event) {
      const out = await handleRegistryEvent(event, deps);
      record('registry event', out);
      return out.body;
    }
    const request = httpRequestOf(event);
    const out = await handleRegistryWebhook({ headers: request.headers, body: request.body }, deps);
    record('registry webhook', out);
    return jsonResponse(out.statusCode, out.body);
  },
);
