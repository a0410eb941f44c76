// `shipwatch serve` with no AWS: the README's local round trip, against GitHub and Slack stand-ins.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '@octokit/webhooks-methods';
import { startServer, type RunningServer } from '../../shared/server/serve.ts';
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-server.ts';
import { startSlackServer, type FakeSlack } from '../support/slack-server.ts';

const event = readFileSync(join(import.meta.dirname, '..', '..', 'events', 'github-pull-request-opened.json'), 'utf8');
const payload = JSON.parse(event) as { pull_request: { head: { sha: string }; number: number }; repository: { full_name: string } };
const SECRET = 'local-webhook-secret';
const AGENT = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'k8s', 'node-agent.yaml'), 'utf8');

let github: GitHubStandIn;
let slack: FakeSlack;
let server: RunningServer;
const log: string[] = [];

beforeAll(async () => {
  github = await startGitHubStandIn({
    repos: {
      [payload.repository.full_name]: {
        commits: { [payload.pull_request.head.sha]: { 'deploy/node-agent.yaml': AGENT } },
        pulls: { [payload.pull_request.number]: { files: [{ filename: 'deploy/node-agent.yaml', status: 'added' }] } },
      },
    },
  });
  slack = await startSlackServer();
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: mkdtempSync(join(tmpdir(), 'shipwatch-serve-')),
    env: { ...github.env(), SHIPWATCH_GITHUB_WEBHOOK_SECRET: SECRET, SHIPWATCH_SLACK_WEBHOOK_URL: slack.webhookUrl },
    scmTuning: { paceWrites: false, retryAfterBaseMs: 1 },
    log: (line) => log.push(line),
  });
});

afterAll(async () => {
  await server?.close();
  await github?.stop();
  await slack?.close();
});

const post = async (body: string, headers: Record<string, string>) => fetch(`${server.url}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('shipwatch serve, embedded store and in-process queue', () => {
  it('answers /healthz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('takes the sample webhook from events/ through scan, store, PR comment and Slack', async () => {
    const res = await post(event, { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(SECRET, event) });
    expect(res.status).toBe(202);
    await server.idle();
    const list = (await (await fetch(`${server.url}/findings?source=iac&severity=critical`)).json()) as { findings: { ruleId: string }[] };
    expect(list.findings.map((f) => f.ruleId).sort()).toEqual(['K8S-001', 'K8S-024', 'K8S-052']);
    expect(github.commentsOf(payload.repository.full_name, payload.pull_request.number)).toHaveLength(1);
    expect(slack.delivered.length).toBeGreaterThan(0);
  });

  it('refuses an unsigned webhook, and a body over the cap', async () => {
    expect((await post(event, { 'x-github-event': 'pull_request' })).status).toBe(401);
    const big = 'x'.repeat(26 * 1024 * 1024);
    const res = await fetch(`${server.url}/webhooks/github`, { method: 'POST', body: big }).catch((e: Error) => e);
    expect(res instanceof Error || res.status === 413).toBe(true);
  });

  it('suppresses a finding through the API', async () => {
    const list = (await (await fetch(`${server.url}/findings?severity=critical`)).json()) as { findings: { fingerprint: string }[] };
    const fp = list.findings[0].fingerprint;
    const res = await fetch(`${server.url}/findings/${fp}/suppress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'node agent is vetted' }) });
    expect(res.status).toBe(200);
    const one = (await (await fetch(`${server.url}/findings/${fp}`)).json()) as { finding: { status: string; suppressedBy: string } };
    expect(one.finding).toMatchObject({ status: 'suppressed', suppressedBy: 'local-user' });
  });
});
