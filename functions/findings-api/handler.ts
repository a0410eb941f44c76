import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handleFindingsRequest } from '../../shared/pipeline/findings-api.ts';
import { DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { httpRequestOf, jsonResponse } from '../../shared/runtime/http.ts';
import { lambdaHandler, logger, requiredEnv } from '../../shared/runtime/lambda.ts';

const store = new DynamoFindingStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });

/** The findings API behind API Gateway's IAM authorizer: the SigV4 caller is who suppresses or re-opens. */
export const handler = lambdaHandler(async (event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
  const request = httpRequestOf(event as never);
  const principal = event.requestContext?.authorizer?.iam?.userArn ?? null;
  const response = await handleFindingsRequest({ method: request.method, path: request.path, query: request.query, body: request.body, principal }, store);
  if (response.statusCode >= 500) logger.error('findings API failure', { path: request.path, status: response.statusCode });
  return jsonResponse(response.statusCode, response.body);
});
