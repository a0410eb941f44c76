import { Arn, Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FindingsTable } from './findings-table.ts';
import type { OperatorSecret } from './secrets.ts';
import { ShipwatchFunction } from './shipwatch-function.ts';

/** API Gateway HTTP APIs give an integration at most 30 s; the API server's webhook waits on it. */
export const AUDIT_SINK_TIMEOUT = Duration.seconds(30);
const MAX_RECEIVE_COUNT = 3;
/** Only audit events reach the function: the cluster log group also carries api, authenticator, scheduler... logs. */
const AUDIT_FILTER_PATTERN = '{ $.kind = "Event" }';
const EKS_CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export interface AuditSinkProps {
  findings: FindingsTable;
  /** `audit-tokens`: `{ "<cluster>": "<token>" }`. */
  tokens: OperatorSecret;
}

/**
 * audit-sink: the Kubernetes audit webhook backend (`POST /audit/{cluster}`), EKS audit logs through
 * CloudWatch Logs subscriptions, and the queue it hands large webhook batches to.
 *
 * Context values: `auditClusters` (EKS cluster names, comma separated or a JSON list) subscribes
 * the function to each `/aws/eks/<name>/cluster` log group; `auditConfigParameter` names an SSM
 * parameter holding the .shipwatch.yaml the sink (and the baselines API) reads.
 */
export class AuditSink extends Construct {
  readonly function: ShipwatchFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** `ssm:<name>` for SHIPWATCH_AUDIT_CONFIG, when configured. */
  readonly configLocation: string | undefined;
  private readonly configParameterArn: string | undefined;

  constructor(scope: Construct, id: string, props: AuditSinkProps) {
    super(scope, id);
    const clusters = clusterList(this.node.tryGetContext('auditClusters'));
    const parameter = parameterName(this.node.tryGetContext('auditConfigParameter'));
    this.configLocation = parameter ? `ssm:${parameter}` : undefined;
    this.configParameterArn = parameter
      ? Arn.format({ service: 'ssm', resource: 'parameter', resourceName: parameter.replace(/^\//, ''), partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID })
      : undefined;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: 'shipwatch-audit-batches-dlq',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: 'shipwatch-audit-batches',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(AUDIT_SINK_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.function = new ShipwatchFunction(this, 'AuditSink', {
      name: 'audit-sink',
      description: 'Kubernetes audit webhook backend and EKS audit-log subscriber: detections, baselines, findings',
      memorySize: 1024,
      timeout: AUDIT_SINK_TIMEOUT,
      environment: {
        SHIPWATCH_TABLE_NAME: props.findings.table.tableName,
        SHIPWATCH_AUDIT_TOKENS_SECRET_ARN: props.tokens.secret.secretArn,
        SHIPWATCH_AUDIT_QUEUE_URL: this.queue.queueUrl,
        ...(this.configLocation ? { SHIPWATCH_AUDIT_CONFIG: this.configLocation } : {}),
      },
    });
    this.function.function.addEventSource(new sources.SqsEventSource(this.queue, { batchSize: 2, reportBatchItemFailures: true }));
    props.findings.grantReadWriteData(this.function.role);
    props.tokens.secret.grantRead(this.function.role);
    this.queue.grantSendMessages(this.function.role);
    this.grantReadConfig(this.function.role);

    clusters.forEach((cluster, i) => {
      const logGroup = logs.LogGroup.fromLogGroupName(this, `EksLogs${i}`, `/aws/eks/${cluster}/cluster`);
      // LambdaDestination also adds the permission for CloudWatch Logs to invoke the function.
      new logs.SubscriptionFilter(this, `EksAudit${i}`, {
        logGroup,
        destination: new destinations.LambdaDestination(this.function.function),
        filterPattern: logs.FilterPattern.literal(AUDIT_FILTER_PATTERN),
        filterName: 'shipwatch-audit',
      });
    });
  }

  /** Lets another function (findings-api: the baselines routes) read the audit configuration. */
  grantReadConfig(grantee: iam.IGrantable): void {
    if (!this.configParameterArn) return;
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.configParameterArn] }));
  }
}

function clusterList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!names || names.some((n) => typeof n !== 'string')) throw new Error(`context "auditClusters" must be cluster names, comma separated or a list, got ${JSON.stringify(value)}`);
  const trimmed = (names as string[]).map((n) => n.trim()).filter(Boolean);
  const bad = trimmed.find((n) => !EKS_CLUSTER_NAME.test(n));
  if (bad !== undefined) throw new Error(`context "auditClusters": "${bad}" is not an EKS cluster name`);
  return [...new Set(trimmed)];
}

function parameterName(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.\-/]+$/.test(value)) throw new Error(`context "auditConfigParameter" must be an SSM parameter name, got ${JSON.stringify(value)}`);
  return value;
}
