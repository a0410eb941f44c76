import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShipwatchStack } from '../../infra/shipwatch-stack.ts';

// CloudFormation JSON is untyped; `any` below is read-only template data.
type CfnResource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

// Non-default context values, so the test also proves they reach the functions.
const CONTEXT = {
  notifyMinSeverity: 'critical',
  notifyDigestAbove: '25',
  githubApiUrl: 'https://ghe.example.com/api/v3',
  gitlabUrl: 'https://gitlab.example.com',
  alarmEmail: 'oncall@example.com',
  auditClusters: 'prod-eu,staging',
  auditConfigParameter: '/shipwatch/audit-config',
};

/** Actions AWS only accepts with Resource "*" (no resource-level permissions). */
const ACTIONS_WITHOUT_RESOURCE_SCOPE = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams', 'ecr:GetAuthorizationToken', 'eks:ListClusters', 'ecr:DescribeRepositories', 'ecr:GetRegistryScanningConfiguration', 'inspector2:ListFindings']);
const DATA_SERVICES = ['dynamodb', 'sqs', 'sns', 'secretsmanager', 's3', 'kms'];

let outdir: string;
let stack: ShipwatchStack;
let template: Template;
let resources: Record<string, CfnResource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The function whose Powertools service name is shipwatch-<name>, with its logical id. */
function lambda(name: string): [string, CfnResource] {
  const found = ofType('AWS::Lambda::Function').find(
    ([, r]) => r.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === `shipwatch-${name}`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found;
}

/** Allow statements of the IAM policies attached to the role of the given function. */
function statementsOf(name: string): any[] {
  const roleId = lambda(name)[1].Properties?.Role?.['Fn::GetAtt']?.[0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => asList(p.Properties?.Roles).some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as any[]);
}

function secretIdFor(shortName: string): string {
  const found = ofType('AWS::SecretsManager::Secret').find(([, s]) => s.Properties?.Name === `Shipwatch/${shortName}`);
  if (!found) throw new Error(`no secret ${shortName}`);
  return found[0];
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'shipwatch-cdk-'));
  const app = new App({ outdir, context: { ...cdkJson.context, ...CONTEXT } });
  stack = new ShipwatchStack(app, 'Shipwatch');
  // As in infra/app.ts: an unacknowledged cdk-nag error makes this synth throw.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
}, 300_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('findings table', () => {
  it('is keyed pk/sk with gsi1 and gsi2, on demand, encrypted, recoverable, streamed, expiring and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
          { AttributeName: 'gsi2pk', AttributeType: 'S' },
          { AttributeName: 'gsi2sk', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
          Match.objectLike({
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
          }),
        ],
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: Match.objectLike({ SSEEnabled: true }),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
});

describe('scan queue', () => {
  it('is encrypted, TLS-only and redrives to its DLQ after 3 receives', () => {
    const [dlqId] = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === 'shipwatch-scan-jobs-dlq')!;
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: Match.stringLikeRegexp('^shipwatch-scan-jobs'),
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  it('hides a message for at least 6x the iac-scan timeout', () => {
    const [, queue] = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === 'shipwatch-scan-jobs')!;
    const timeout = lambda('iac-scan')[1].Properties?.Timeout as number;
    expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('every queue is encrypted and denies non-TLS access', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.length).toBe(7);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled === true || queue.Properties?.KmsMasterKeyId !== undefined).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('alarms on a visible message in either dead-letter queue, notifying the alerts topic', () => {
    const [topicId] = ofType('AWS::SNS::Topic')[0];
    const scanDlqId = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === 'shipwatch-scan-jobs-dlq')![0];
    const notifyDlqId = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, m]) => m.Properties?.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt']?.[0])
      .find(Boolean);
    for (const dlqId of [scanDlqId, notifyDlqId]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });
});

describe('alerts topic', () => {
  it('is encrypted with a rotating customer managed key and TLS-only', () => {
    const [[keyId]] = ofType('AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the alarmEmail context value', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });
});

describe('secrets', () => {
  it('are the seven operator-provided secrets, created empty', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets.map(([, s]) => s.Properties?.Name).sort()).toEqual(
      ['audit-tokens', 'github-app', 'github-webhook-secret', 'gitlab-token', 'gitlab-webhook-secret', 'registry-token', 'slack'].map((n) => `Shipwatch/${n}`),
    );
    for (const [, secret] of secrets) {
      expect(secret.Properties).not.toHaveProperty('SecretString');
      expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
    }
  });

  it('each function reads exactly its own secrets, read-only', () => {
    const expected: Record<string, string[]> = {
      'git-webhook': ['github-webhook-secret', 'gitlab-webhook-secret'],
      'iac-scan': ['github-app', 'gitlab-token'],
      notify: ['slack'],
      'findings-api': [],
      'registry-event': ['registry-token'],
      'image-scan': [],
      'audit-sink': ['audit-tokens'],
      'posture-scan': [],
    };
    for (const [name, secretNames] of Object.entries(expected)) {
      const secretStatements = statementsOf(name).filter((s) =>
        asList(s.Action).some((a: string) => a.startsWith('secretsmanager:')),
      );
      for (const statement of secretStatements) {
        expect(asList(statement.Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
      }
      const granted = secretStatements.flatMap((s) => asList(s.Resource)).map((r: any) => r.Ref).sort();
      expect(granted, name).toEqual(secretNames.map(secretIdFor).sort());
    }
  });
});

describe('functions', () => {
  const NAMES = ['git-webhook', 'iac-scan', 'notify', 'findings-api', 'vulndb-sync', 'registry-event', 'image-scan', 'audit-sink', 'posture-scan'];

  it('are the handlers, on nodejs22.x arm64, traced, with Powertools settings and a log group', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(NAMES.length);
    for (const name of NAMES) {
      const props = lambda(name)[1].Properties!;
      expect(props.Runtime).toBe('nodejs22.x');
      expect(props.Architectures).toEqual(['arm64']);
      expect(props.Handler).toBe('index.handler');
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig.LogGroup.Ref).toBeDefined();
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `shipwatch-${name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Shipwatch',
        LOG_LEVEL: 'INFO',
      });
    }
    for (const [, logGroup] of ofType('AWS::Logs::LogGroup')) expect(logGroup.Properties?.RetentionInDays).toBe(30);
  });

  it('get their settings from the environment: resource names, secret ARNs and context values', () => {
    const env = (name: string) => lambda(name)[1].Properties!.Environment.Variables;
    const secretArn = (short: string) => ({ Ref: secretIdFor(short) });
    expect(env('git-webhook')).toMatchObject({
      SHIPWATCH_TABLE_NAME: { Ref: expect.any(String) },
      SHIPWATCH_SCAN_QUEUE_URL: { Ref: expect.any(String) },
      SHIPWATCH_GITHUB_WEBHOOK_SECRET_ARN: secretArn('github-webhook-secret'),
      SHIPWATCH_GITLAB_WEBHOOK_SECRET_ARN: secretArn('gitlab-webhook-secret'),
    });
    expect(env('iac-scan')).toMatchObject({
      SHIPWATCH_TABLE_NAME: { Ref: expect.any(String) },
      SHIPWATCH_GITHUB_APP_SECRET_ARN: secretArn('github-app'),
      SHIPWATCH_GITLAB_TOKEN_SECRET_ARN: secretArn('gitlab-token'),
      SHIPWATCH_GITHUB_API_URL: 'https://ghe.example.com/api/v3',
      SHIPWATCH_GITLAB_URL: 'https://gitlab.example.com',
    });
    expect(env('notify')).toMatchObject({
      SHIPWATCH_ALERTS_TOPIC_ARN: { Ref: ofType('AWS::SNS::Topic')[0][0] },
      SHIPWATCH_SLACK_SECRET_ARN: secretArn('slack'),
      SHIPWATCH_NOTIFY_MIN_SEVERITY: 'critical',
      SHIPWATCH_NOTIFY_DIGEST_ABOVE: '25',
    });
    expect(env('findings-api')).toMatchObject({ SHIPWATCH_TABLE_NAME: { Ref: expect.any(String) } });
  });

  it('never carry a secret value in an environment variable', () => {
    const looksSecret =
      /-----BEGIN|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abpr]-|hooks\.slack\.com|AKIA[0-9A-Z]{16}|[A-Za-z0-9+/=_-]{32,}/;
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      for (const [key, value] of Object.entries(fn.Properties!.Environment.Variables)) {
        if (/SECRET|TOKEN|PASSWORD|PRIVATE|CREDENTIAL|SLACK/.test(key)) {
          expect(key, key).toMatch(/_ARN$/);
          expect(resources[(value as any).Ref]?.Type, key).toBe('AWS::SecretsManager::Secret');
        }
        if (typeof value === 'string') expect(value, key).not.toMatch(looksSecret);
      }
    }
  });

  it('cap concurrency where a third-party rate limit is at stake', () => {
    expect(lambda('iac-scan')[1].Properties?.ReservedConcurrentExecutions).toBeGreaterThan(0);
    expect(lambda('notify')[1].Properties?.ReservedConcurrentExecutions).toBeGreaterThan(0);
  });

  it('iac-scan consumes the scan queue in batches of 5 with partial batch failures', () => {
    const [queueId] = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === 'shipwatch-scan-jobs')!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: lambda('iac-scan')[0] },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('notify reads the findings stream from LATEST, only META items, with retries, bisection and a DLQ', () => {
    const [tableId] = ofType('AWS::DynamoDB::Table')[0];
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties?.FunctionName?.Ref === lambda('notify')[0],
    )!;
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
    });
    const dlqId = mapping.Properties!.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    expect(resources[dlqId].Type).toBe('AWS::SQS::Queue');
    const patterns = mapping.Properties!.FilterCriteria.Filters.map((f: any) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([{ dynamodb: { Keys: { sk: { S: ['META'] } } } }]);
  });
});

describe('vulnerability data', () => {
  const bucketId = () => ofType('AWS::S3::Bucket')[0][0];

  it('is one private, encrypted, versioned, TLS-only bucket that expires old versions', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 }, Status: 'Enabled' })] },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('vulndb-sync runs daily, knows its bucket, and may only read/write the export and index objects', () => {
    const [syncId, sync] = lambda('vulndb-sync');
    expect(sync.Properties!.Environment.Variables.SHIPWATCH_VULN_BUCKET).toEqual({ Ref: bucketId() });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [syncId, 'Arn'] } })],
    });
    const s3Statements = statementsOf('vulndb-sync').filter((s) => asList<string>(s.Action).some((a) => a.startsWith('s3:')));
    const resources = JSON.stringify(s3Statements.flatMap((s) => asList(s.Resource)));
    expect(s3Statements.flatMap((s) => asList<string>(s.Action)).sort()).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(resources).toContain('/osv/*');
    expect(resources).toContain('/index/*');
  });

  it('publishes the index URI for the image scanner', () => {
    const uri = JSON.stringify(template.toJSON().Outputs.VulnDbUri.Value);
    expect(uri).toContain(bucketId());
    expect(uri).toContain('/index/');
  });
});

describe('image scanning', () => {
  const queueId = (name: string) => ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === name)![0];

  it('image-scan consumes the image-jobs queue one image at a time, with partial batch failures and a DLQ after 3 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'shipwatch-image-jobs',
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId('shipwatch-image-jobs-dlq'), 'Arn'] }, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: lambda('image-scan')[0] },
      EventSourceArn: { 'Fn::GetAtt': [queueId('shipwatch-image-jobs'), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const [, queue] = ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === 'shipwatch-image-jobs')!;
    expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (lambda('image-scan')[1].Properties?.Timeout as number));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId('shipwatch-image-jobs-dlq'), 'QueueName'] } }],
    });
  });

  it('routes ECR pushes (PUSH, SUCCESS), ECR scans and Inspector findings from the default bus to registry-event', () => {
    const target = [Match.objectLike({ Arn: { 'Fn::GetAtt': [lambda('registry-event')[0], 'Arn'] } })];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
      Targets: target,
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Scan'], detail: { 'scan-status': ['COMPLETE'] } }, Targets: target });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.inspector2'], 'detail-type': ['Inspector2 Finding'] }), Targets: target });
  });

  it('lets registry-event enqueue and read scan results, and image-scan pull, only within the account\'s repositories', () => {
    const ecr = (name: string) => statementsOf(name).filter((s) => asList<string>(s.Action).some((a) => a.startsWith('ecr:')));
    const scoped = (statement: any) => JSON.stringify(statement.Resource).includes(':repository/*');
    expect(ecr('registry-event').flatMap((s) => asList<string>(s.Action))).toEqual(['ecr:DescribeImageScanFindings']);
    expect(ecr('registry-event').every(scoped)).toBe(true);
    const pulls = ecr('image-scan');
    expect(pulls.flatMap((s) => asList<string>(s.Action)).filter((a) => a.startsWith('ecr:')).sort()).toEqual(['ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer']);
    for (const statement of pulls) {
      if (asList<string>(statement.Action).includes('ecr:GetAuthorizationToken')) expect(statement.Resource).toBe('*');
      else expect(scoped(statement)).toBe(true);
    }
    const env = lambda('image-scan')[1].Properties!.Environment.Variables;
    expect(JSON.stringify(env.SHIPWATCH_REGISTRIES)).toContain('.dkr.ecr.');
    expect(JSON.stringify(env.SHIPWATCH_VULN_DB)).toContain('/index/');
    expect(lambda('registry-event')[1].Properties!.Environment.Variables).toMatchObject({ SHIPWATCH_REGISTRY_TOKEN_SECRET_ARN: { Ref: secretIdFor('registry-token') } });
  });
});

describe('audit sink', () => {
  const queueId = (name: string) => ofType('AWS::SQS::Queue').find(([, q]) => q.Properties?.QueueName === name)![0];

  it('knows its table, token secret, batch queue and configuration; consumes the queue with partial batch failures', () => {
    const [fnId, fn] = lambda('audit-sink');
    expect(fn.Properties!.Environment.Variables).toMatchObject({
      SHIPWATCH_TABLE_NAME: { Ref: expect.any(String) },
      SHIPWATCH_AUDIT_TOKENS_SECRET_ARN: { Ref: secretIdFor('audit-tokens') },
      SHIPWATCH_AUDIT_QUEUE_URL: { Ref: queueId('shipwatch-audit-batches') },
      SHIPWATCH_AUDIT_CONFIG: 'ssm:/shipwatch/audit-config',
    });
    expect(lambda('findings-api')[1].Properties!.Environment.Variables.SHIPWATCH_AUDIT_CONFIG).toBe('ssm:/shipwatch/audit-config');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [queueId('shipwatch-audit-batches'), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'shipwatch-audit-batches',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId('shipwatch-audit-batches-dlq'), 'Arn'] }, maxReceiveCount: 3 },
    });
    for (const name of ['audit-sink', 'findings-api']) {
      const ssm = statementsOf(name).filter((s) => asList<string>(s.Action).some((a) => a.startsWith('ssm:')));
      expect(ssm.flatMap((s) => asList<string>(s.Action))).toEqual(['ssm:GetParameter']);
      expect(JSON.stringify(ssm[0].Resource)).toContain(':parameter/shipwatch/audit-config');
    }
  });

  it('subscribes to the audit events of each auditClusters log group, with the permission to invoke it', () => {
    const [fnId] = lambda('audit-sink');
    for (const cluster of ['prod-eu', 'staging']) {
      template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
        LogGroupName: `/aws/eks/${cluster}/cluster`,
        FilterPattern: '{ $.kind = "Event" }',
        DestinationArn: { 'Fn::GetAtt': [fnId, 'Arn'] },
      });
    }
    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 2);
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'logs.amazonaws.com' });
  });
});

describe('IAM', () => {
  it('uses no managed policies', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('grants no wildcard actions on data services and no data actions on Resource "*"', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as any[]);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const actions = asList<string>(statement.Action);
      for (const action of actions) {
        expect(action).not.toBe('*');
        const [service, verb] = action.split(':');
        if (DATA_SERVICES.includes(service)) expect(verb, action).not.toContain('*');
      }
      if (asList(statement.Resource).includes('*')) {
        for (const action of actions) expect(ACTIONS_WITHOUT_RESOURCE_SCOPE.has(action), action).toBe(true);
      }
    }
  });
});

describe('HTTP API', () => {
  const routes = (): Record<string, Record<string, any>> =>
    Object.fromEntries(ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties?.RouteKey, r.Properties ?? {}]));

  it('serves the webhook routes (verified in the function) and the IAM-authorised findings routes', () => {
    const byKey = routes();
    expect(Object.keys(byKey).sort()).toEqual([
      'DELETE /baselines/{cluster}/{serviceAccount}',
      'GET /baselines/{cluster}/{serviceAccount}',
      'GET /compliance',
      'GET /compliance/{framework}',
      'GET /findings',
      'GET /findings/{fingerprint}',
      'GET /inventory',
      'GET /stats',
      'POST /audit/{cluster}',
      'POST /findings/{fingerprint}/reopen',
      'POST /findings/{fingerprint}/suppress',
      'POST /webhooks/github',
      'POST /webhooks/gitlab',
      'POST /webhooks/registry',
    ]);
    for (const [key, route] of Object.entries(byKey)) {
      if (/ \/(findings|baselines|stats|compliance|inventory)/.test(key)) expect(route.AuthorizationType, key).toBe('AWS_IAM');
      else expect(route.AuthorizationType ?? 'NONE', key).toBe('NONE');
    }
  });

  it('routes to the right function', () => {
    const integrationFunction = (integrationRef: string) =>
      JSON.stringify(resources[integrationRef].Properties?.IntegrationUri);
    for (const [key, route] of Object.entries(routes())) {
      const integrationId = route.Target['Fn::Join'][1][1].Ref as string;
      const expected = key.endsWith('/webhooks/registry') ? 'registry-event' : key.includes('/webhooks/') ? 'git-webhook' : key.includes(' /audit/') ? 'audit-sink' : 'findings-api';
      expect(integrationFunction(integrationId), key).toContain(lambda(expected)[0]);
    }
  });

  it('throttles and writes access logs on the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('has no unacknowledged errors or warnings', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const unacknowledged = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(unacknowledged).toEqual([]);
  });

  it('leaves no error or warning annotations (synth stays quiet)', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('cfn-lint', () => {
  it('passes on the synthesized template', () => {
    const file = join(outdir, 'Shipwatch.cfn-lint.json');
    writeFileSync(file, JSON.stringify(template.toJSON(), null, 2));
    const result = spawnSync('cfn-lint', ['--', file], { encoding: 'utf8', timeout: 120_000 });
    if (result.error) throw new Error(`cfn-lint could not run: ${result.error.message}`);
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 150_000);
});
