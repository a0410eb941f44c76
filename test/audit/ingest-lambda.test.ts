// The audit-sink Lambda's logic (handleAuditSinkEvent with the AWS wiring the handler uses) against
// moto: CloudWatch Logs deliveries (gzip + base64), the API Gateway webhook path with tokens from
// Secrets Manager, queued large batches over SQS, configuration from S3/SSM, and two instances
// sharing the state table.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAwsAuditIngest } from '../../shared/audit/ingest/aws.ts';
import { handleAuditSinkEvent, type AuditSinkDeps } from '../../shared/audit/ingest/audit-sink.ts';
import type { AuditBatchJob } from '../../shared/audit/ingest/batch-queue.ts';
import { configLoader } from '../../shared/audit/ingest/config-source.ts';
import { auditTokensFromJson } from '../../shared/audit/ingest/tokens.ts';
import { SqsJobQueue } from '../../shared/queue/sqs.ts';
import { secretJson } from '../../shared/runtime/secrets.ts';
import { createFindingsTable, DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { useMoto } from '../support/aws.ts';
import { auditEvent, execEvent } from './events.ts';

const TOKEN = 'bGFtYmRhLXBhdGgtdG9rZW4tZm9yLXByb2QtZXU';
let tableName: string;
let tokensArn: string;
let queueUrl: string;
const logged: Record<string, unknown>[] = [];

beforeAll(async () => {
  useMoto();
  tableName = `audit-sink-${randomUUID()}`;
  await createFindingsTable(new DynamoDBClient({}), tableName);
  tokensArn = (await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: `audit-tokens-${randomUUID()}`, SecretString: JSON.stringify({ 'prod-eu': TOKEN, queued: TOKEN }) }))).ARN!;
  queueUrl = (await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `audit-batches-${randomUUID()}` }))).QueueUrl!;
});

/** One Lambda instance: its own processor and caches, the shared table, queue and secret. */
function instance(configLocation?: string): AuditSinkDeps {
  return {
    ingest: createAwsAuditIngest({ tableName, configLocation }),
    tokens: async () => auditTokensFromJson(await secretJson(tokensArn)),
    queue: new SqsJobQueue<AuditBatchJob>({ queueUrl }),
    log: (message, attributes) => logged.push({ message, ...attributes }),
    metric: () => {},
  };
}

function logsEvent(logGroup: string, messages: string[], opts: { logStream?: string; messageType?: string } = {}) {
  const envelope = {
    messageType: opts.messageType ?? 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream: opts.logStream ?? 'kube-apiserver-audit-4b2e7c1d9f0a8e6b5c3d2a1f0e9d8c7b',
    subscriptionFilters: ['shipwatch-audit'],
    logEvents: messages.map((message, i) => ({ id: `3${i}`.padEnd(56, '0'), timestamp: Date.parse('2025-03-04T09:15:00Z') + i, message })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(envelope)).toString('base64') } };
}

function httpEvent(cluster: string, body: string, opts: { token?: string | null; base64?: boolean } = {}): APIGatewayProxyEventV2 {
  const token = opts.token === undefined ? TOKEN : opts.token;
  return {
    version: '2.0',
    routeKey: 'POST /audit/{cluster}',
    rawPath: `/audit/${cluster}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    pathParameters: { cluster },
    requestContext: { http: { method: 'POST', path: `/audit/${cluster}`, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'kube-apiserver-admission' } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: opts.base64 ?? false,
    body: opts.base64 ? Buffer.from(body).toString('base64') : body,
  };
}

const store = () => new DynamoFindingStore({ tableName });
const findingsOf = async (cluster: string) => (await store().query({ cluster, source: 'audit' }, { limit: 200 })).items;

describe('CloudWatch Logs subscription (EKS)', () => {
  it('evaluates each log event of /aws/eks/<cluster>/cluster and stores the findings; non-JSON messages are counted', async () => {
    const messages = [
      JSON.stringify(execEvent({ namespace: 'shop', pod: 'api-1', command: ['sh', '-c', 'curl http://169.254.169.254/latest/meta-data/iam/security-credentials/'] })),
      JSON.stringify(auditEvent({ verb: 'list', resource: 'secrets', namespace: 'kube-system' })),
      'I0304 09:15:00.000000  1 trace.go:236] not an audit event',
    ];
    const result = await handleAuditSinkEvent(logsEvent('/aws/eks/eks-prod/cluster', messages), instance());
    expect(result).toEqual({ acknowledged: 'audit' });
    expect((await findingsOf('eks-prod')).map((f) => f.ruleId).sort()).toEqual(['AUDIT-010', 'AUDIT-029']);
    expect(logged.at(-1)).toMatchObject({ message: 'audit batch', path: 'cloudwatch-logs', cluster: 'eks-prod', events: 3, rejected: 1, opened: 2 });
  });

  it('a redelivered subscription batch does not alert again', async () => {
    const e = logsEvent('/aws/eks/eks-redelivered/cluster', [JSON.stringify(auditEvent({ verb: 'delete', resource: 'events', namespace: 'shop', name: 'x' }))]);
    await handleAuditSinkEvent(e, instance());
    await handleAuditSinkEvent(e, instance());
    expect(logged.at(-1)).toMatchObject({ cluster: 'eks-redelivered', duplicates: 1, opened: 0 });
    expect(await findingsOf('eks-redelivered')).toHaveLength(1);
  });

  it('acknowledges the control message and skips other log groups and streams', async () => {
    expect(await handleAuditSinkEvent(logsEvent('/aws/eks/eks-prod/cluster', ['CWL CONTROL MESSAGE: Checking health of destination Lambda.'], { messageType: 'CONTROL_MESSAGE' }), instance())).toEqual({ acknowledged: 'control' });
    const secretList = JSON.stringify(auditEvent({ verb: 'list', resource: 'secrets' }));
    expect(await handleAuditSinkEvent(logsEvent('/aws/lambda/other', [secretList]), instance())).toEqual({ acknowledged: 'ignored' });
    expect(await handleAuditSinkEvent(logsEvent('/aws/eks/eks-skip/cluster', [secretList], { logStream: 'authenticator-0a1b2c' }), instance())).toEqual({ acknowledged: 'ignored' });
    expect(await findingsOf('eks-skip')).toEqual([]);
  });

  it('fails on data that is not a subscription payload (Lambda retries, then drops it)', async () => {
    await expect(handleAuditSinkEvent({ awslogs: { data: Buffer.from('plain').toString('base64') } }, instance())).rejects.toThrow();
  });
});

describe('webhook through API Gateway (payload v2)', () => {
  const list = (items: unknown[]) => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });

  it('checks the cluster token from Secrets Manager and processes the EventList (base64 bodies too)', async () => {
    const body = list([auditEvent({ verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'x' }), auditEvent({ verb: 'deletecollection', resource: 'events', namespace: 'shop' })]);
    const out = (await handleAuditSinkEvent(httpEvent('prod-eu', body, { base64: true }), instance())) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.body)).toMatchObject({ events: 2, rejected: 0, opened: 1 });
    expect((await findingsOf('prod-eu')).map((f) => f.ruleId)).toContain('AUDIT-041');
  });

  it('401 without or with a wrong token, 404 for an unknown cluster or route, 413 above 5 MB, 400 for non-JSON', async () => {
    const status = async (e: APIGatewayProxyEventV2) => ((await handleAuditSinkEvent(e, instance())) as { statusCode: number }).statusCode;
    const body = list([auditEvent({ verb: 'list', resource: 'secrets' })]);
    expect(await status(httpEvent('prod-eu', body, { token: null }))).toBe(401);
    expect(await status(httpEvent('prod-eu', body, { token: 'guess' }))).toBe(401);
    expect(await status(httpEvent('nowhere', body))).toBe(404);
    expect(await status({ ...httpEvent('prod-eu', body), rawPath: '/audit/prod-eu/extra' })).toBe(404);
    expect(await status(httpEvent('prod-eu', list([{ pad: 'x'.repeat(5 * 1024 * 1024) }])))).toBe(413);
    expect(await status(httpEvent('prod-eu', '<EventList/>'))).toBe(400);
  });

  it('queues a batch above 500 events on SQS; the SQS path evaluates it and reports only failed records', async () => {
    // Mostly reads nothing looks at (no state writes, so moto stays quick), one event deletion.
    const items = [...Array.from({ length: 699 }, (_, i) => auditEvent({ verb: 'get', resource: 'pods', namespace: 'shop', name: `p-${i}`, time: i * 0.1 })), auditEvent({ verb: 'delete', resource: 'events', namespace: 'shop', name: 'evidence' })];
    const out = (await handleAuditSinkEvent(httpEvent('queued', list(items)), instance())) as { statusCode: number; body: string };
    expect(out.statusCode).toBe(202);
    const { queuedMessages } = JSON.parse(out.body) as { queuedMessages: number };
    expect(queuedMessages).toBeGreaterThanOrEqual(2);
    expect(await findingsOf('queued')).toEqual([]);

    const sqs = new SQSClient({});
    const received = [];
    while (received.length < queuedMessages) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      received.push(...Messages);
      if (Messages.length === 0) break;
    }
    expect(received).toHaveLength(queuedMessages);
    const records = [...received, { MessageId: 'poison', Body: '{"type":"audit-batch"}' }].map((m) => ({ messageId: m.MessageId!, body: m.Body!, eventSource: 'aws:sqs', receiptHandle: 'r', attributes: {}, messageAttributes: {}, md5OfBody: '', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1' }));
    const response = await handleAuditSinkEvent({ Records: records } as SQSEvent, instance());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect((await findingsOf('queued')).map((f) => f.ruleId)).toEqual(['AUDIT-041']);
  });
});

describe('two Lambda instances share the state table', () => {
  it('count threshold events together: 2 + 2 refused secret reads stay quiet, the 5th opens one AUDIT-032 finding, the 6th increments it', async () => {
    const [a, b] = [instance(), instance()];
    const refused = (i: number) => auditEvent({ verb: 'get', resource: 'secrets', namespace: 'shop', name: 'db', user: { username: 'probe@example.com', groups: [] }, code: 403, time: i });
    const cluster = 'shared-state';
    const send = (deps: AuditSinkDeps, from: number, to: number) => handleAuditSinkEvent(logsEvent(`/aws/eks/${cluster}/cluster`, Array.from({ length: to - from }, (_, i) => JSON.stringify(refused(from + i)))), deps);
    await send(a, 0, 2);
    await send(b, 2, 4);
    expect(await findingsOf(cluster)).toEqual([]);
    await send(a, 4, 5);
    const [opened] = await findingsOf(cluster);
    expect(opened).toMatchObject({ ruleId: 'AUDIT-032', audit: { count: 1 } });
    await send(b, 5, 6);
    const [updated] = await findingsOf(cluster);
    expect(updated.fingerprint).toBe(opened.fingerprint);
    expect(updated.audit?.count).toBe(2);
  });
});

describe('configuration from S3 or SSM (SHIPWATCH_AUDIT_CONFIG)', () => {
  it('applies the audit section read from S3', async () => {
    const bucket = `cfg-${randomUUID()}`;
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'shipwatch.yaml', Body: 'audit:\n  disable: [AUDIT-029]\n' }));
    const deps = instance(`s3://${bucket}/shipwatch.yaml`);
    await handleAuditSinkEvent(logsEvent('/aws/eks/configured/cluster', [JSON.stringify(auditEvent({ verb: 'list', resource: 'secrets' })), JSON.stringify(auditEvent({ verb: 'delete', resource: 'events', namespace: 'a', name: 'b' }))]), deps);
    expect((await findingsOf('configured')).map((f) => f.ruleId)).toEqual(['AUDIT-041']);
  });

  it('reads SSM parameters and refuses an invalid configuration with the key named', async () => {
    const name = `/shipwatch/${randomUUID()}/config`;
    await new SSMClient({}).send(new PutParameterCommand({ Name: name, Type: 'String', Value: 'audit:\n  thresholds:\n    AUDIT-025: { count: 3, windowSeconds: 60 }\n' }));
    expect((await configLoader(`ssm:${name}`)()).config.audit?.thresholds).toEqual({ 'AUDIT-025': { count: 3, windowSeconds: 60 } });
    await new SSMClient({}).send(new PutParameterCommand({ Name: `${name}-bad`, Type: 'String', Value: 'audit:\n  thresholdz: {}\n' }));
    await expect(configLoader(`ssm:${name}-bad`)()).rejects.toThrow(/audit\.thresholdz/);
  });
});
