import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { handleGitWebhook } from '../../shared/pipeline/git-webhook.ts';
import { logger, metrics, lambdaHandler, requiredEnv } from '../../shared/runtime/lambda.ts';
import { secretString } from '../../shared/runtime/secrets.ts';
import { DynamoDeliveryLog } from '../../shared/store/dynamodb.ts';
import { SqsJobQueue } from '../../shared/queue/sqs.ts';
import { httpRequestOf, jsonResponse } from '../../shared/runtime/http.ts';

const deliveries = new DynamoDeliveryLog({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const queue = new SqsJobQueue({ queueUrl: requiredEnv('SHIPWATCH_SCAN_QUEUE_URL') });
const secrets = async () => ({
  github: (await secretString(process.env.SHIPWATCH_GITHUB_WEBHOOK_SECRET_ARN)) ?? undefined,
  gitlab: (await secretString(process.env.SHIPWATCH_GITLAB_WEBHOOK_SECRET_ARN)) ?? undefined,
});

/** POST /webhooks/github and /webhooks/gitlab: verify, de-duplicate, enqueue. */
export const handler = lambdaHandler(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const request = httpRequestOf(event);
  const provider = request.path.endsWith('/gitlab') ? 'gitlab' : 'github';
  const response = await handleGitWebhook({ provider, headers: request.headers, body: request.body }, { secrets, deliveries, queue });
  metrics.addMetric(response.statusCode === 202 && response.body.job ? 'ScanQueued' : `Webhook${response.statusCode}`, MetricUnit.Count, 1);
  logger.info('webhook', { provider, status: response.statusCode, message: response.body.message, deliveryId: response.body.deliveryId });
  return jsonResponse(response.statusCode, response.body);
});
