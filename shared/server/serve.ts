import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Severity } from '../findings/finding.ts';
import { handleGitWebhook, type WebhookSecrets } from '../pipeline/git-webhook.ts';
import { handleFindingsRequest } from '../pipeline/findings-api.ts';
import type { InventoryStore } from '../posture/inventory.ts';
import { DynamoInventoryStore } from '../posture/inventory-dynamodb.ts';
import { LocalInventoryStore } from '../posture/inventory-local.ts';
import { runIacScan } from '../pipeline/iac-scan.ts';
import type { ScanJob } from '../pipeline/model.ts';
import type { DeliveryLog, FindingStore, JobQueue } from '../pipeline/ports.ts';
import { InProcessQueue } from '../queue/local.ts';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsJobQueue, createQueueWithDeadLetter } from '../queue/sqs.ts';
import { scmClientsFromEnv, type ScmClients } from '../scm/from-env.ts';
import { LocalDeliveryLog, LocalFindingStore } from '../store/local.ts';
import { DynamoDeliveryLog, DynamoFindingStore, createFindingsTable } from '../store/dynamodb.ts';
import { FanoutNotifier } from '../notify/fanout.ts';
import { SlackNotifier, slackMessage, slackDigestMessage } from '../notify/slack.ts';
import { SnsNotifier } from '../notify/sns.ts';
import type { AlertChannel } from '../notify/alert.ts';
import type { ScmTuning } from '../scm/options.ts';
import { alertingStore } from './alerting-store.ts';
import { SqsPoller } from './sqs-poller.ts';
import { isBaselinePath } from '../audit/baseline/api.ts';
import { createLocalAuditSink } from '../audit/ingest/local.ts';
import { localImagePipeline } from '../image/triggers/local-pipeline.ts';
import { dashboardSite } from './dashboard.ts';

/** Webhook senders cap their payloads (GitHub at 25 MB); anything larger is refused before parsing. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface ServeOptions {
  port: number;
  host: string;
  /** Folder of the embedded store (default `.shipwatch`). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Forge client tuning (tests turn pacing off). */
  scmTuning?: ScmTuning;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  store: FindingStore;
  /** The cluster inventory the posture scan writes (served at GET /inventory). */
  inventory: InventoryStore;
  /** Resolves when every queued scan has finished (in-process queue only). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `shipwatch serve`: the pipeline's handlers on localhost. Without AWS it keeps findings under
 * `.shipwatch/` and runs the queue in process; with AWS_ENDPOINT_URL it uses DynamoDB, SQS and SNS there.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const minSeverity = (env.SHIPWATCH_NOTIFY_MIN_SEVERITY as Severity | undefined) ?? 'high';
  const digestAbove = Number(env.SHIPWATCH_NOTIFY_DIGEST_ABOVE) || 10;
  const aws = Boolean(env.AWS_ENDPOINT_URL);

  const channel = alertChannel(env, digestAbove, log);
  let baseStore: FindingStore;
  let deliveries: DeliveryLog;
  let inventory: InventoryStore;
  if (aws) {
    const tableName = env.SHIPWATCH_TABLE_NAME || 'shipwatch-findings';
    await ensureTable(tableName);
    baseStore = new DynamoFindingStore({ tableName });
    deliveries = new DynamoDeliveryLog({ tableName });
    inventory = new DynamoInventoryStore({ tableName });
  } else {
    baseStore = await LocalFindingStore.open({ dir: options.dataDir });
    deliveries = await LocalDeliveryLog.open({ dir: options.dataDir });
    inventory = await LocalInventoryStore.open({ dir: options.dataDir });
  }
  const store = alertingStore(baseStore, channel, { minSeverity, digestAbove });
  const audit = createLocalAuditSink({ env, store, tableName: aws ? env.SHIPWATCH_TABLE_NAME || 'shipwatch-findings' : undefined, log });
  const scm = scmClientsFromEnv(env, { ...options.scmTuning, rateLimits: { '**': 600 } });
  const consume = (job: ScanJob) => scanJob(job, scm, store, log);

  let queue: JobQueue & { idle?: () => Promise<void> };
  let poller: SqsPoller | undefined;
  if (aws) {
    const queueUrl = env.SHIPWATCH_SCAN_QUEUE_URL || (await createQueueWithDeadLetter(new SQSClient({}), 'shipwatch-scan-jobs', { maxReceiveCount: 3 })).queueUrl;
    queue = new SqsJobQueue({ queueUrl });
    poller = new SqsPoller(queueUrl, consume, log);
    poller.start();
  } else {
    const inProcess = new InProcessQueue<ScanJob>(consume, {
      retryDelayMs: 200,
      onDeadLetter: (l) => log(`scan job moved to the dead letters after ${l.receiveCount} attempts: ${(l.error as Error).message}`),
    });
    queue = inProcess;
  }

  // Changes made through the dashboard or the API are recorded as this user (there is no sign-in on localhost).
  const user = env.SHIPWATCH_USER || 'local-user';
  const dashboard = dashboardSite({ config: { apiBase: '', auth: null, user }, log });
  const images = localImagePipeline({ env, store, deliveries, log });
  const secrets = async (): Promise<WebhookSecrets> => ({ github: env.SHIPWATCH_GITHUB_WEBHOOK_SECRET, gitlab: env.SHIPWATCH_GITLAB_WEBHOOK_SECRET });
  const server = createServer((req, res) => {
    route(req, res).catch((e) => {
      log(`error: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, { message: 'internal error' });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/healthz') return send(res, 200, { ok: true });
    const auditWebhook = /^\/audit\/([^/]+)$/.exec(path);
    if (auditWebhook && req.method === 'POST') return audit.webhook(req, res, auditWebhook[1]);
    const webhook = /^\/webhooks\/(github|gitlab)$/.exec(path);
    if (webhook && req.method === 'POST') {
      const body = await readBody(req, res);
      if (body === null) return;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const out = await handleGitWebhook({ provider: webhook[1] as 'github' | 'gitlab', headers, body }, { secrets, deliveries, queue });
      log(`${webhook[1]} webhook: ${out.statusCode} ${out.body.message}`);
      return send(res, out.statusCode, out.body);
    }
    if (req.method === 'POST' && (path === '/webhooks/registry' || path === '/events')) {
      const body = await readBody(req, res);
      if (body === null) return;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const out = await images.handle(path, headers, body);
      return send(res, out.statusCode, out.body);
    }
    if (isBaselinePath(path)) {
      if (!trustedHost(req, options.host)) return send(res, 421, { message: 'this server only answers requests addressed to its own host name' });
      return audit.baselines(req, res, path, user);
    }
    if (/^\/(?:findings|stats|compliance|inventory)(?:\/|$)/.test(path)) {
      if (!trustedHost(req, options.host)) return send(res, 421, { message: 'this server only answers requests addressed to its own host name' });
      // A page on another site may POST simple requests here; a JSON content type needs a CORS preflight, which this server never grants.
      if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return send(res, 415, { message: 'send the body as application/json' });
      const body = req.method === 'POST' ? await readBody(req, res) : '';
      if (body === null) return;
      const out = await handleFindingsRequest({ method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), body, principal: user }, baseStore, undefined, inventory);
      return send(res, out.statusCode, out.body);
    }
    if (trustedHost(req, options.host) && (await dashboard.handle(req, res, path))) return;
    send(res, 404, { message: `no route for ${req.method} ${path}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${address.port}`;
  log(`shipwatch serve listening on ${url} (${aws ? `AWS at ${env.AWS_ENDPOINT_URL}` : `embedded store under ${options.dataDir ?? '.shipwatch'}/`})`);
  return {
    url,
    server,
    store,
    inventory,
    idle: async () => {
      await (queue as { idle?: () => Promise<void> }).idle?.();
      await audit.idle();
      await images.idle();
      await poller?.idle();
    },
    close: async () => {
      poller?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function scanJob(job: ScanJob, scm: ScmClients, store: FindingStore, log: (line: string) => void): Promise<void> {
  const client = scm[job.provider];
  if (!client) throw new Error(`no ${job.provider} credentials configured (set SHIPWATCH_${job.provider.toUpperCase()}_TOKEN)`);
  const outcome = await runIacScan(job, { scm: client, store });
  log(`scanned ${job.provider}:${job.repo} ${job.type === 'push' ? job.branch : `#${job.number}`}: ${outcome.result.findings.length} findings, ${outcome.opened} new, ${outcome.resolved} resolved${outcome.conclusion ? `, check ${outcome.conclusion}` : ''}`);
}

function alertChannel(env: NodeJS.ProcessEnv, digestAbove: number, log: (line: string) => void): AlertChannel {
  const channels: AlertChannel[] = [];
  if (env.SHIPWATCH_SLACK_TOKEN && env.SHIPWATCH_SLACK_CHANNEL) channels.push(new SlackNotifier({ token: env.SHIPWATCH_SLACK_TOKEN, channel: env.SHIPWATCH_SLACK_CHANNEL, apiUrl: env.SHIPWATCH_SLACK_API_URL, digestAbove }));
  else if (env.SHIPWATCH_SLACK_WEBHOOK_URL) channels.push(new SlackNotifier({ webhookUrl: env.SHIPWATCH_SLACK_WEBHOOK_URL, digestAbove }));
  else channels.push(consoleChannel(log));
  if (env.AWS_ENDPOINT_URL && env.SHIPWATCH_ALERTS_TOPIC_ARN) channels.push(new SnsNotifier({ topicArn: env.SHIPWATCH_ALERTS_TOPIC_ARN, digestAbove }));
  return new FanoutNotifier(channels);
}

/** With no Slack configured, the server prints the message it would have posted. */
function consoleChannel(log: (line: string) => void): AlertChannel {
  return {
    route: 'slack',
    notify: async (findings) => {
      for (const f of findings) log(`would post to Slack: ${slackMessage(f).text}`);
    },
    alert: async (f) => log(`would post to Slack: ${slackMessage(f).text}`),
    digest: async (findings) => log(`would post to Slack: ${slackDigestMessage(findings).text}`),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Bound to loopback, the server answers API and dashboard requests only for a loopback host name,
 * so a web page whose name resolves to 127.0.0.1 (DNS rebinding) cannot read findings.
 */
function trustedHost(req: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK.has(boundHost)) return true;
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host);
}

async function ensureTable(name: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
  } catch {
    await createFindingsTable(client, name);
  }
}

async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      send(res, 413, { message: `body over ${MAX_BODY_BYTES} bytes` });
      req.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
