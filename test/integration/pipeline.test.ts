// The deployed pipeline end to end, with the real Lambda handlers: GitHub/GitLab webhooks ->
// git-webhook -> SQS (moto) -> iac-scan -> DynamoDB (moto) + PR feedback (GitHub/GitLab stand-ins)
// -> DynamoDB stream (moto) -> notify -> Slack stand-in + SNS (moto). Only the Lambda runtime is
// played by the test: it hands queue messages and stream records to the handlers, as Lambda would.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient, ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SecretsManagerClient, CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { sign } from '@octokit/webhooks-methods';
import webhookExamples, { type WebhookDefinition } from '@octokit/webhooks-examples';
import { useMoto } from '../support/aws.ts';
import { startGitHubStandIn, GITHUB_ROUTES, type GitHubStandIn } from '../support/github-server.ts';
import { startGitLabStandIn, type GitLabStandIn } from '../support/gitlab-server.ts';
import { startSlackServer, type FakeSlack } from '../support/slack-server.ts';
import { createFindingsTable } from '../../shared/store/dynamodb.ts';
import { createQueueWithDeadLetter } from '../../shared/queue/sqs.ts';
import gitlabMergeRequest from '../../events/gitlab-merge-request-hook.json' with { type: 'json' };

const REPO = 'acme/shop';
const BASE_SHA = 'b'.repeat(40);
const HEAD_1 = '1'.repeat(40);
const HEAD_2 = '2'.repeat(40);
const GITHUB_SECRET = 'gh-webhook-secret-for-tests';
const GITLAB_SECRET = 'gl-webhook-secret-for-tests';

const DEPLOYMENT = (name: string, privileged: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(name)}
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:1.4.2
          securityContext:
            privileged: ${privileged}
`;
const AGENT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: shop
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: agent
          image: registry.example.com/agent:2.0.0
`;
const patchOf = (text: string) => `@@ -0,0 +1,${text.split('\n').length} @@\n${text.split('\n').map((l) => `+${l}`).join('\n')}`;

const context = { functionName: 'test', awsRequestId: 'req', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

let github: GitHubStandIn;
let gitlab: GitLabStandIn;
let slack: FakeSlack;
let sqs: SQSClient;
let queueUrl: string;
let dlqUrl: string;
let alertsQueueUrl: string;
let tableName: string;
let handlers: {
  webhook: (e: APIGatewayProxyEventV2, c: Context) => Promise<{ statusCode?: number; body?: string }>;
  scan: (e: SQSEvent, c: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  notify: (e: DynamoDBStreamEvent, c: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  api: (e: APIGatewayProxyEventV2, c: Context) => Promise<{ statusCode?: number; body?: string }>;
};
let streamReader: () => Promise<_Record[]>;

beforeAll(async () => {
  useMoto();
  const suffix = randomUUID().slice(0, 8);
  tableName = `findings-e2e-${suffix}`;
  const dynamo = new DynamoDBClient({});
  await createFindingsTable(dynamo, tableName);
  sqs = new SQSClient({});
  ({ queueUrl, deadLetterUrl: dlqUrl } = await createQueueWithDeadLetter(sqs, `scan-jobs-e2e-${suffix}`, { maxReceiveCount: 3 }));
  const sns = new SNSClient({});
  const topic = await sns.send(new CreateTopicCommand({ Name: `alerts-${suffix}` }));
  ({ queueUrl: alertsQueueUrl } = await createQueueWithDeadLetter(sqs, `alerts-sub-${suffix}`));
  const alertsArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: alertsQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: alertsArn, Attributes: { RawMessageDelivery: 'true' } }));

  github = await startGitHubStandIn({ repos: { [REPO]: { commits: {}, pulls: {} } }, tokens: ['ghs_standintoken'] });
  gitlab = await startGitLabStandIn({ tokens: ['glpat-standin'] });
  slack = await startSlackServer();

  const secrets = new SecretsManagerClient({});
  const secret = async (name: string, value: string) => (await secrets.send(new CreateSecretCommand({ Name: `${name}-${suffix}`, SecretString: value }))).ARN!;
  Object.assign(process.env, {
    SHIPWATCH_TABLE_NAME: tableName,
    SHIPWATCH_SCAN_QUEUE_URL: queueUrl,
    SHIPWATCH_ALERTS_TOPIC_ARN: topic.TopicArn!,
    SHIPWATCH_GITHUB_WEBHOOK_SECRET_ARN: await secret('gh-webhook', GITHUB_SECRET),
    SHIPWATCH_GITLAB_WEBHOOK_SECRET_ARN: await secret('gl-webhook', GITLAB_SECRET),
    SHIPWATCH_GITHUB_APP_SECRET_ARN: await secret('github-app', JSON.stringify({ token: 'ghs_standintoken' })),
    SHIPWATCH_GITLAB_TOKEN_SECRET_ARN: await secret('gitlab-token', 'glpat-standin'),
    SHIPWATCH_SLACK_SECRET_ARN: await secret('slack', JSON.stringify({ webhookUrl: slack.webhookUrl })),
    SHIPWATCH_GITHUB_API_URL: github.url,
    SHIPWATCH_GITLAB_URL: gitlab.url,
    SHIPWATCH_NOTIFY_MIN_SEVERITY: 'high',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  handlers = {
    webhook: (await import('../../functions/git-webhook/handler.ts')).handler as never,
    scan: (await import('../../functions/iac-scan/handler.ts')).handler as never,
    notify: (await import('../../functions/notify/handler.ts')).handler as never,
    api: (await import('../../functions/findings-api/handler.ts')).handler as never,
  };

  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streams = new DynamoDBStreamsClient({});
  const stream = await streams.send(new DescribeStreamCommand({ StreamArn: table.Table!.LatestStreamArn! }));
  let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: table.Table!.LatestStreamArn!, ShardId: stream.StreamDescription!.Shards![0].ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  streamReader = async () => {
    const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    iterator = out.NextShardIterator;
    return out.Records ?? [];
  };
}, 120_000);

afterAll(async () => {
  await github?.stop();
  await gitlab?.stop();
  await slack?.close();
});

beforeEach(async () => {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
});

function apiEvent(path: string, headers: Record<string, string>, body: string, method = 'POST', query?: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    queryStringParameters: query,
    requestContext: { http: { method, path }, authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:user/secops' } } } as never,
    body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2;
}

async function githubDelivery(payload: unknown, opts: { event?: string; delivery?: string; secret?: string; signature?: string | null } = {}) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': opts.event ?? 'pull_request', 'x-github-delivery': opts.delivery ?? randomUUID() };
  if (opts.signature !== null) headers['x-hub-signature-256'] = opts.signature ?? (await sign(opts.secret ?? GITHUB_SECRET, body));
  return handlers.webhook(apiEvent('/webhooks/github', headers, body), context);
}

function prPayload(number: number, head: string, action = 'opened') {
  const definitions = webhookExamples as unknown as WebhookDefinition[];
  const example = structuredClone(definitions.find((e) => e.name === 'pull_request')!.examples.find((x) => (x as { action: string }).action === action)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  example.number = number;
  example.pull_request.number = number;
  example.pull_request.head.sha = head;
  example.pull_request.html_url = `https://github.example.com/${REPO}/pull/${number}`;
  example.repository.full_name = REPO;
  example.repository.default_branch = 'main';
  example.pull_request.base.ref = 'main';
  delete example.installation;
  return example;
}

/** Lambda's SQS event source: receive what is visible and hand it to the handler; delete what succeeded. */
async function drainScanQueue(): Promise<{ failures: number; processed: number }> {
  let failures = 0;
  let processed = 0;
  for (let round = 0; round < 10; round++) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, AttributeNames: ['All'] }));
    if (Messages.length === 0) break;
    const event: SQSEvent = {
      Records: Messages.map((m) => ({ messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, attributes: m.Attributes as never, messageAttributes: {}, md5OfBody: m.MD5OfBody!, eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1' })),
    };
    // A handler that throws (every record failed) fails the whole batch, as Lambda treats it.
    const result = await handlers.scan(event, context).catch(() => ({ batchItemFailures: Messages.map((m) => ({ itemIdentifier: m.MessageId! })) }));
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    for (const m of Messages) {
      if (failed.has(m.MessageId!)) {
        failures++;
        // Lambda leaves a failed message for the visibility timeout; make it visible again at once.
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
      } else {
        processed++;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
  }
  return { failures, processed };
}

/** Lambda's DynamoDB stream source: the new stream records, handed to notify. */
async function runNotify(): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const records = await streamReader();
  if (records.length === 0) return { batchItemFailures: [] };
  return handlers.notify({ Records: records as never }, context);
}

async function receiveAlerts(): Promise<{ body: Record<string, unknown>; attributes: Record<string, string> }[]> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: alertsQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
  for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: alertsQueueUrl, ReceiptHandle: m.ReceiptHandle! }));
  return Messages.map((m) => ({ body: JSON.parse(m.Body!), attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ''])) }));
}

async function queueDepth(url: string): Promise<number> {
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(a.Attributes!.ApproximateNumberOfMessages) + Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

describe('GitHub pull request through the deployed pipeline', () => {
  it('rejects a missing or wrong signature with 401 and enqueues nothing', async () => {
    github.repos[REPO].commits![HEAD_1] = { 'k8s/web.yaml': DEPLOYMENT('web', true) };
    expect((await githubDelivery(prPayload(7, HEAD_1), { signature: null })).statusCode).toBe(401);
    expect((await githubDelivery(prPayload(7, HEAD_1), { secret: 'not-the-secret' })).statusCode).toBe(401);
    expect((await githubDelivery(prPayload(7, HEAD_1), { signature: 'sha256=' + '0'.repeat(64) })).statusCode).toBe(401);
    expect(await queueDepth(queueUrl)).toBe(0);
  });

  it('ignores unsupported events with 202', async () => {
    const res = await githubDelivery({ zen: 'Keep it logically awesome.', hook_id: 1 }, { event: 'watch' });
    expect(res.statusCode).toBe(202);
    expect(await queueDepth(queueUrl)).toBe(0);
  });

  it('scans a PR once per delivery, comments once, checks with annotations, stores findings and alerts Slack and SNS', async () => {
    const hostile = '<!channel> @admin <https://evil.example|click>';
    github.repos[REPO].commits![HEAD_1] = { 'k8s/web.yaml': DEPLOYMENT(hostile, true), 'k8s/agent.yaml': AGENT, 'README.md': '# shop\n' };
    github.repos[REPO].pulls![7] = { files: [{ filename: 'k8s/web.yaml', status: 'added', patch: patchOf(DEPLOYMENT(hostile, true)) }, { filename: 'k8s/agent.yaml', status: 'added', patch: patchOf(AGENT) }] };
    github.failNext(GITHUB_ROUTES.pullFiles, 1, 502); // GitHub hiccups once: the client retries

    const delivery = randomUUID();
    expect((await githubDelivery(prPayload(7, HEAD_1), { delivery })).statusCode).toBe(202);
    expect((await githubDelivery(prPayload(7, HEAD_1), { delivery })).statusCode).toBe(200); // redelivery: deduplicated
    expect(await queueDepth(queueUrl)).toBe(1);
    expect(await drainScanQueue()).toEqual({ failures: 0, processed: 1 });

    expect(github.requestsOf(GITHUB_ROUTES.pullFiles).map((r) => r.status)).toEqual([502, 200]);
    const comments = github.commentsOf(REPO, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/K8S\\?-001/);
    expect(comments[0].body).toMatch(/K8S\\?-002/);
    expect(comments[0].body).not.toContain('<!channel>');
    expect(comments[0].body).not.toMatch(/@admin/);
    expect(comments[0].body).toContain(`https://github.example.com/${REPO}/blob/${HEAD_1}/k8s/web.yaml#L15`);
    const run = github.checkRuns.at(-1)!;
    expect(run).toMatchObject({ name: 'shipwatch', head_sha: HEAD_1, conclusion: 'failure' });
    expect(run.annotations.some((a) => a.path === 'k8s/web.yaml' && a.start_line === 15)).toBe(true);

    const list = await handlers.api(apiEvent('/findings', {}, '', 'GET', { repo: `github:${REPO}`, severity: 'critical' }), context);
    const body = JSON.parse(list.body!) as { findings: { ruleId: string; fingerprint: string; scope: { ref: string } }[] };
    expect(body.findings.map((f) => f.ruleId)).toEqual(['K8S-001']);
    expect(body.findings[0].scope.ref).toBe('pr/7');

    const notified = await runNotify();
    expect(notified.batchItemFailures).toEqual([]);
    const slackText = JSON.stringify(slack.delivered.map((d) => d.body));
    expect(slackText).toMatch(/K8S\\?-001/);
    expect(slackText).not.toContain('<!channel>');
    expect(slackText).toContain('&lt;!channel&gt;');
    const alerts = await receiveAlerts();
    expect(alerts.map((a) => a.attributes.ruleId).sort()).toEqual(['K8S-001', 'K8S-002']);
    expect(alerts.every((a) => a.attributes.source === 'iac' && ['critical', 'high'].includes(a.attributes.severity))).toBe(true);
  });

  it('a second push edits the same comment and shows the fixed finding as resolved', async () => {
    github.repos[REPO].commits![HEAD_2] = { 'k8s/web.yaml': DEPLOYMENT('<!channel> @admin <https://evil.example|click>', false), 'k8s/agent.yaml': AGENT };
    github.repos[REPO].pulls![7] = { files: [{ filename: 'k8s/web.yaml', status: 'added', patch: patchOf(DEPLOYMENT('x', false)) }, { filename: 'k8s/agent.yaml', status: 'added', patch: patchOf(AGENT) }] };
    expect((await githubDelivery(prPayload(7, HEAD_2, 'synchronize'))).statusCode).toBe(202);
    await drainScanQueue();
    const comments = github.commentsOf(REPO, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toMatch(/Fixed since the last push \(1\)/);
    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: HEAD_2, conclusion: 'failure' }); // hostPID is still there
    await runNotify();
    const again = await receiveAlerts();
    expect(again.map((a) => a.attributes), JSON.stringify(again.map((a) => [a.body.status, a.body.ruleId, (a.body as { resource?: { name?: string } }).resource?.name]))).toEqual([]); // nothing new, nothing re-opened
  });

  it('a PR that deletes a manifest resolves its findings', async () => {
    const head = '3'.repeat(40);
    github.repos[REPO].commits![head] = { 'k8s/web.yaml': DEPLOYMENT('web', false) };
    github.repos[REPO].pulls![7] = { files: [{ filename: 'k8s/agent.yaml', status: 'removed' }] };
    await githubDelivery(prPayload(7, head, 'synchronize'));
    await drainScanQueue();
    expect(github.checkRuns.at(-1)).toMatchObject({ head_sha: head, conclusion: 'success' });
    const list = await handlers.api(apiEvent('/findings', {}, '', 'GET', { repo: `github:${REPO}`, status: 'resolved', severity: 'high' }), context);
    expect((JSON.parse(list.body!) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toContain('K8S-002');
  });

  it('a poison message ends in the DLQ after its retries while the batch\'s other messages succeed', async () => {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '0' } }));
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"type":"pull-request","repo":' }));
    github.repos[REPO].commits![HEAD_1] = { 'k8s/web.yaml': DEPLOYMENT('web', true), 'k8s/agent.yaml': AGENT };
    github.repos[REPO].pulls![8] = { files: [{ filename: 'k8s/web.yaml', status: 'added', patch: patchOf(DEPLOYMENT('web', true)) }] };
    await githubDelivery(prPayload(8, HEAD_1));
    const { failures, processed } = await drainScanQueue();
    expect(processed).toBe(1);
    expect(failures).toBe(3);
    expect(await queueDepth(dlqUrl)).toBe(1);
    expect(github.commentsOf(REPO, 8)).toHaveLength(1);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '30' } }));
  });
});

describe('GitLab merge request through the deployed pipeline', () => {
  it('verifies the token in constant time, scans the MR, writes one note and a commit status', async () => {
    const project = gitlabMergeRequest.project;
    const sha = gitlabMergeRequest.object_attributes.last_commit.id;
    gitlab.projects[project.path_with_namespace] = {
      id: project.id,
      commits: { [sha]: { 'deploy/web.yaml': DEPLOYMENT('web', true) } },
      mergeRequests: { [gitlabMergeRequest.object_attributes.iid]: { diffs: [{ new_path: 'deploy/web.yaml', old_path: 'deploy/web.yaml', new_file: true, diff: patchOf(DEPLOYMENT('web', true)) }] } },
    };
    const body = JSON.stringify(gitlabMergeRequest);
    const headers = (token: string, uuid = randomUUID()) => ({ 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': token, 'x-gitlab-event-uuid': uuid });
    expect((await handlers.webhook(apiEvent('/webhooks/gitlab', headers('wrong'), body), context)).statusCode).toBe(401);
    const uuid = randomUUID();
    expect((await handlers.webhook(apiEvent('/webhooks/gitlab', headers(GITLAB_SECRET, uuid), body), context)).statusCode).toBe(202);
    expect((await handlers.webhook(apiEvent('/webhooks/gitlab', headers(GITLAB_SECRET, uuid), body), context)).statusCode).toBe(200);
    expect(await drainScanQueue()).toEqual({ failures: 0, processed: 1 });
    const notes = gitlab.notes.filter((n) => n.body.includes('shipwatch:pr-comment'));
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toMatch(/K8S\\?-001/);
    expect(gitlab.statuses.at(-1)).toMatchObject({ sha, name: 'shipwatch', status: 'failed' });
  });
});
