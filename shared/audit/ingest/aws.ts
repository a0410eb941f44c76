// The audit-sink's AWS wiring: processor state, baselines and findings in the one DynamoDB table,
// configuration from S3/SSM (SHIPWATCH_AUDIT_CONFIG).
import { DynamoFindingStore } from '../../store/dynamodb.ts';
import { BaselineLearner } from '../baseline/learner.ts';
import { DynamoBaselineStore } from '../baseline/store-dynamodb.ts';
import { DynamoAuditState } from '../state-dynamodb.ts';
import { configLoader } from './config-source.ts';
import { createConfiguredIngest, type AuditIngest } from './sink.ts';

export interface AwsAuditIngestOptions {
  tableName: string;
  /** `s3://bucket/key` or `ssm:<name>` of a .shipwatch.yaml; absent: catalog defaults. */
  configLocation?: string;
}

export function createAwsAuditIngest(options: AwsAuditIngestOptions): AuditIngest {
  return createConfiguredIngest({
    loadConfig: configLoader(options.configLocation),
    state: new DynamoAuditState({ tableName: options.tableName }),
    baselines: new BaselineLearner(new DynamoBaselineStore({ tableName: options.tableName })),
    store: new DynamoFindingStore({ tableName: options.tableName }),
  });
}
