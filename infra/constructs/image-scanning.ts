import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FindingsTable } from './findings-table.ts';
import type { OperatorSecret } from './secrets.ts';
import { ShipwatchFunction } from './shipwatch-function.ts';
import type { VulnData } from './vuln-data.ts';

/** sql.js (rpmdb.sqlite) loads its WebAssembly from the package at run time; esbuild cannot inline it. */
export const SQLJS_RUNTIME_FILES = ['package.json', 'dist/sql-wasm.wasm'].map((f) => `node_modules/sql.js/${f}`);

/** image-scan streams an image's layers once; big images take minutes. */
export const IMAGE_SCAN_TIMEOUT = Duration.minutes(10);
/** Images scanned at once: each holds up to a few hundred MB of layer data in flight. */
const IMAGE_SCAN_CONCURRENCY = 5;
/** A job that failed this many deliveries moves to the dead-letter queue. */
const MAX_RECEIVE_COUNT = 3;

export interface ImageScanningProps {
  findings: FindingsTable;
  vulnData: VulnData;
  registryToken: OperatorSecret;
}

/**
 * Image scanning: ECR push, ECR scan and Inspector events (default bus) and registry webhooks reach
 * registry-event, which enqueues image jobs (or ingests the registry's findings); image-scan pulls
 * the pushed digest, scans it and writes the findings.
 *
 * Context values: `imageRepositoryPrefix` limits the ECR rules to repositories starting with it;
 * `imageRegistries` adds registries (`host[:port]`, comma separated) the scanner may pull from besides
 * this account's ECR registry in this region.
 */
export class ImageScanning extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly registryEvent: ShipwatchFunction;
  readonly imageScan: ShipwatchFunction;

  constructor(scope: Construct, id: string, props: ImageScanningProps) {
    super(scope, id);
    const { findings, vulnData, registryToken } = props;
    const prefix = repositoryPrefix(this.node.tryGetContext('imageRepositoryPrefix'));
    const extraRegistries = registryList(this.node.tryGetContext('imageRegistries'));
    // The deployment's own ECR registry is always allowed; anything else an event names is refused.
    const registries = [`${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`, ...extraRegistries].join(',');
    const repositories = `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${prefix ?? ''}*`;
    const tableName = findings.table.tableName;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: 'shipwatch-image-jobs-dlq',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: 'shipwatch-image-jobs',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the consumer's timeout (AWS guidance for Lambda consumers).
      visibilityTimeout: Duration.seconds(IMAGE_SCAN_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // registry-event: webhooks and EventBridge events in, image jobs out (or registry findings ingested).
    this.registryEvent = new ShipwatchFunction(this, 'RegistryEvent', {
      name: 'registry-event',
      description: 'Verifies registry push notifications and ECR/Inspector events, enqueues image scans, ingests registry findings',
      memorySize: 256,
      timeout: Duration.seconds(30),
      environment: {
        SHIPWATCH_TABLE_NAME: tableName,
        SHIPWATCH_IMAGE_QUEUE_URL: this.queue.queueUrl,
        SHIPWATCH_REGISTRY_TOKEN_SECRET_ARN: registryToken.secret.secretArn,
        SHIPWATCH_REGISTRIES: registries,
      },
    });
    this.queue.grantSendMessages(this.registryEvent.role);
    findings.grantReadWriteData(this.registryEvent.role);
    registryToken.secret.grantRead(this.registryEvent.role);
    this.registryEvent.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:DescribeImageScanFindings'], resources: [repositories] }));
    // With enhanced scanning, DescribeImageScanFindings returns Inspector's findings, which needs
    // inspector2:ListFindings; it has no resource-level permissions.
    this.registryEvent.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['inspector2:ListFindings'], resources: ['*'] }));
    Validations.of(this.registryEvent).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Besides X-Ray, inspector2:ListFindings has no resource-level permissions (AWS requires Resource "*"); ' +
        'DescribeImageScanFindings needs it to return the enhanced (Inspector) findings of an image. Read-only.',
    });

    // image-scan: one image per message; partial batch failures return only the failed ones.
    this.imageScan = new ShipwatchFunction(this, 'ImageScan', {
      name: 'image-scan',
      description: 'Scans a pushed image (config, layers, packages against OSV, secrets) and writes its findings',
      memorySize: 2048,
      timeout: IMAGE_SCAN_TIMEOUT,
      reservedConcurrentExecutions: IMAGE_SCAN_CONCURRENCY,
      runtimeFiles: SQLJS_RUNTIME_FILES,
      environment: {
        SHIPWATCH_TABLE_NAME: tableName,
        SHIPWATCH_REGISTRIES: registries,
        SHIPWATCH_VULN_DB: vulnData.indexUri,
      },
    });
    this.imageScan.function.addEventSource(
      new sources.SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: IMAGE_SCAN_CONCURRENCY }),
    );
    findings.grantReadWriteData(this.imageScan.role);
    vulnData.grantReadIndex(this.imageScan.role);
    this.imageScan.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [repositories] }));
    this.imageScan.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    Validations.of(this.imageScan).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Besides X-Ray, ecr:GetAuthorizationToken has no resource-level permissions (AWS requires Resource "*"); ' +
        'the token it returns only works for the repositories the role may BatchGetImage/GetDownloadUrlForLayer.',
    });
    for (const fn of [this.registryEvent, this.imageScan]) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/${prefix ?? ''}*]`,
        reason: `Every ECR repository of this account and region${prefix ? ` under "${prefix}"` : ''} can be pushed to and must be scannable; the events name the repository at run time.`,
      });
    }

    // EventBridge rules on the default bus: pushes, ECR basic scan results, Inspector findings.
    const repositoryFilter = prefix ? { 'repository-name': [{ prefix }] } : {};
    const target = new targets.LambdaFunction(this.registryEvent.function, { retryAttempts: 4, maxEventAge: Duration.hours(6) });
    new events.Rule(this, 'EcrPush', {
      description: 'ECR image pushes (successful) -> registry-event',
      eventPattern: { source: ['aws.ecr'], detailType: ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], ...repositoryFilter } },
      targets: [target],
    });
    new events.Rule(this, 'EcrScan', {
      description: 'ECR basic scan completed -> registry-event (ingest the findings)',
      eventPattern: { source: ['aws.ecr'], detailType: ['ECR Image Scan'], detail: { 'scan-status': ['COMPLETE'], ...repositoryFilter } },
      targets: [target],
    });
    new events.Rule(this, 'InspectorFinding', {
      description: 'Amazon Inspector findings on ECR images -> registry-event (ingest the findings)',
      eventPattern: {
        source: ['aws.inspector2'],
        detailType: ['Inspector2 Finding'],
        detail: { resources: { type: ['AWS_ECR_CONTAINER_IMAGE'], ...(prefix ? { details: { awsEcrContainerImage: { repositoryName: [{ prefix }] } } } : {}) } },
      },
      targets: [target],
    });
  }
}

function repositoryPrefix(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9._/-]*$/.test(value)) {
    throw new Error(`context "imageRepositoryPrefix" must be an ECR repository name prefix, got ${JSON.stringify(value)}`);
  }
  return value;
}

function registryList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value !== 'string') throw new Error(`context "imageRegistries" must be a comma-separated list of host[:port], got ${JSON.stringify(value)}`);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    // Deployed scanners pull over HTTPS only: `=http` is for a local registry.
    if (!/^[a-z0-9.-]+(?::\d{1,5})?$/i.test(entry)) throw new Error(`context "imageRegistries": "${entry}" is not host[:port]`);
  }
  return entries;
}
