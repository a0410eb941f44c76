import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { baselineApiOptions, handleBaselineRequest, isBaselinePath } from '../../shared/audit/baseline/api.ts';
import { DynamoBaselineStore } from '../../shared/audit/baseline/store-dynamodb.ts';
import { configLoader } from '../../shared/audit/ingest/config-source.ts';
import { handleFindingsRequest } from '../../shared/pipeline/findings-api.ts';
import { DynamoInventoryStore } from '../../shared/posture/inventory-dynamodb.ts';
import { DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { httpRequestOf, jsonResponse } from '../../shared/runtime/http.ts';
import { lambdaHandler, logger, requiredEnv } from '../../shared/runtime/lambda.ts';

const store = new DynamoFindingStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const inventory = new DynamoInventoryStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const baselines = new DynamoBaselineStore({ tableName: requiredEnv('SHIPWATCH_TABLE_NAME') });
const auditConfig = configLoader(process.env.SHIPWATCH_AUDIT_CONFIG || undefined);

/** What API Gateway tells about the caller: the SigV4 identity, or the dashboard user's Cognito token claims. */
type Caller = APIGatewayProxyEventV2WithIAMAuthorizer['requestContext']['authorizer'] & { jwt?: { claims?: Record<string, unknown> } };

/**
 * The findings API behind API Gateway: the SigV4 caller (IAM routes) or the signed-in dashboard user
 * (the /api copies of the routes, Cognito-authorised) is who suppresses or re-opens.
 */
export const handler = lambdaHandler(async (event: APIGatewayProxyEventV2WithIAMAuthorizer): Promise<APIGatewayProxyStructuredResultV2> => {
  const raw = httpRequestOf(event as never);
  // The dashboard reaches the same routes under /api on its own origin.
  const request = { ...raw, path: raw.path.replace(/^\/api(?=\/)/, '') };
  const caller = event.requestContext?.authorizer as Caller | undefined;
  const claims = caller?.jwt?.claims;
  const principal = caller?.iam?.userArn ?? (typeof claims?.username === 'string' ? `cognito:${claims.username}` : null);
  const response = isBaselinePath(request.path)
    ? await handleBaselineRequest({ method: request.method, path: request.path, principal }, baselines, baselineApiOptions((await auditConfig()).config.audit))
    : await handleFindingsRequest({ method: request.method, path: request.path, query: request.query, body: request.body, principal }, store, undefined, inventory);
  if (response.statusCode >= 500) logger.error('findings API failure', { path: request.path, status: response.statusCode });
  return jsonResponse(response.statusCode, response.body);
});
