import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ShipwatchConfig } from '../config.ts';
import type { AlertsTopic } from './alerts-topic.ts';
import type { FindingsTable } from './findings-table.ts';
import type { ScanQueue } from './scan-queue.ts';
import type { ShipwatchSecrets } from './secrets.ts';
import { ShipwatchFunction } from './shipwatch-function.ts';

/** iac-scan fetches a repository's manifests over the API, scans them and posts feedback. */
export const IAC_SCAN_TIMEOUT = Duration.minutes(3);

/** The HCL parser's WebAssembly and its Go runtime shim, which shared/iac/cloud/terraform/hcl.ts loads from the package at run time. */
export const HCL2JSON_RUNTIME_FILES = ['package.json', 'main.wasm.gz', 'wasm/bridge_wasm_exec.js', 'wasm/wasm_exec.js'].map((f) => `node_modules/@cdktf/hcl2json/${f}`);

/** Concurrent scans: each one spends GitHub/GitLab API quota (5,000 requests/hour per installation). */
const IAC_SCAN_CONCURRENCY = 5;
/** Concurrent notifiers: Slack allows about one message per second per channel/webhook. */
const NOTIFY_CONCURRENCY = 2;

export interface ShipwatchFunctionsProps {
  config: ShipwatchConfig;
  findings: FindingsTable;
  scanQueue: ScanQueue;
  alerts: AlertsTopic;
  secrets: ShipwatchSecrets;
}

/**
 * The four Lambdas of the git flow and the findings API, each with exactly the grants it uses.
 * Secrets reach the code as ARNs only; the functions read the values at run time.
 */
export class ShipwatchFunctions extends Construct {
  readonly gitWebhook: ShipwatchFunction;
  readonly iacScan: ShipwatchFunction;
  readonly notify: ShipwatchFunction;
  readonly findingsApi: ShipwatchFunction;
  /** Stream batches notify gave up on (after retries and bisection) land here. */
  readonly notifyFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ShipwatchFunctionsProps) {
    super(scope, id);
    const { config, findings, scanQueue, alerts } = props;
    const { githubWebhook, gitlabWebhook, githubApp, gitlabToken, slack } = props.secrets.secrets;
    const tableName = findings.table.tableName;

    // git-webhook: verify the delivery, remember its id (de-duplication), enqueue a scan job.
    this.gitWebhook = new ShipwatchFunction(this, 'GitWebhook', {
      name: 'git-webhook',
      description: 'Verifies GitHub/GitLab webhooks, de-duplicates deliveries and enqueues scan jobs',
      memorySize: 256,
      // GitHub gives up after 10 s; the function answers well before that or not at all.
      timeout: Duration.seconds(10),
      environment: {
        SHIPWATCH_TABLE_NAME: tableName,
        SHIPWATCH_SCAN_QUEUE_URL: scanQueue.queue.queueUrl,
        SHIPWATCH_GITHUB_WEBHOOK_SECRET_ARN: githubWebhook.secret.secretArn,
        SHIPWATCH_GITLAB_WEBHOOK_SECRET_ARN: gitlabWebhook.secret.secretArn,
      },
    });
    scanQueue.queue.grantSendMessages(this.gitWebhook.role);
    findings.grantReadWriteData(this.gitWebhook.role);
    githubWebhook.secret.grantRead(this.gitWebhook.role);
    gitlabWebhook.secret.grantRead(this.gitWebhook.role);

    // iac-scan: one scan job per message; partial batch failures return only the failed jobs.
    this.iacScan = new ShipwatchFunction(this, 'IacScan', {
      name: 'iac-scan',
      description: 'Scans the Kubernetes manifests of a push or PR/MR and writes findings and feedback',
      memorySize: 1024,
      timeout: IAC_SCAN_TIMEOUT,
      reservedConcurrentExecutions: IAC_SCAN_CONCURRENCY,
      runtimeFiles: HCL2JSON_RUNTIME_FILES,
      environment: {
        SHIPWATCH_TABLE_NAME: tableName,
        SHIPWATCH_GITHUB_APP_SECRET_ARN: githubApp.secret.secretArn,
        SHIPWATCH_GITLAB_TOKEN_SECRET_ARN: gitlabToken.secret.secretArn,
        SHIPWATCH_GITHUB_API_URL: config.githubApiUrl,
        SHIPWATCH_GITLAB_URL: config.gitlabUrl,
      },
    });
    this.iacScan.function.addEventSource(
      new sources.SqsEventSource(scanQueue.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        // Pollers never start more invocations than the reserved concurrency allows, so no job
        // is throttled back into the queue (which would count towards the DLQ's receive limit).
        maxConcurrency: IAC_SCAN_CONCURRENCY,
      }),
    );
    findings.grantReadWriteData(this.iacScan.role);
    githubApp.secret.grantRead(this.iacScan.role);
    gitlabToken.secret.grantRead(this.iacScan.role);

    // notify: findings stream -> Slack and the alerts topic, only for finding items (sk = META).
    this.notifyFailures = new sqs.Queue(this, 'NotifyFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.notifyFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the notify stream event source: it only ' +
        'receives failure records (stream positions) and nothing consumes it automatically.',
    });

    this.notify = new ShipwatchFunction(this, 'Notify', {
      name: 'notify',
      description: 'Alerts on new or re-opened findings: Slack (Block Kit) and the alerts SNS topic',
      memorySize: 256,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: NOTIFY_CONCURRENCY,
      environment: {
        SHIPWATCH_TABLE_NAME: tableName,
        SHIPWATCH_ALERTS_TOPIC_ARN: alerts.topic.topicArn,
        SHIPWATCH_SLACK_SECRET_ARN: slack.secret.secretArn,
        SHIPWATCH_NOTIFY_MIN_SEVERITY: config.notifyMinSeverity,
        SHIPWATCH_NOTIFY_DIGEST_ABOVE: String(config.notifyDigestAbove),
      },
    });
    this.notify.function.addEventSource(
      new sources.DynamoEventSource(findings.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        // Gathers a scan's burst of new findings into one invocation, so they can go out as a digest.
        maxBatchingWindow: Duration.seconds(10),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 5,
        onFailure: new sources.SqsDlq(this.notifyFailures),
        filters: [
          lambda.FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: lambda.FilterRule.isEqual('META') } } } }),
        ],
      }),
    );
    alerts.grantPublish(this.notify.role);
    slack.secret.grantRead(this.notify.role);
    findings.grantReadData(this.notify.role);
    Validations.of(this.notify).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Besides X-Ray, the DynamoDB stream event source needs dynamodb:ListStreams, which has no ' +
        'resource-level permissions (AWS requires Resource "*"); it lists stream ARNs, never data. ' +
        'test/infra checks that "*" statements carry only these actions.',
    });

    // findings-api: list, read, suppress and re-open findings (IAM-authorised HTTP).
    this.findingsApi = new ShipwatchFunction(this, 'FindingsApi', {
      name: 'findings-api',
      description: 'Findings HTTP API: list, get, suppress and re-open findings (IAM-authorised)',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: { SHIPWATCH_TABLE_NAME: tableName },
    });
    findings.grantReadWriteData(this.findingsApi.role);
  }
}
