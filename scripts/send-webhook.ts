// Posts a sample event from events/ to a running `shipwatch serve`, signed like GitHub or GitLab would.
//   npx tsx scripts/send-webhook.ts events/github-pull-request-opened.json --secret "$SHIPWATCH_GITHUB_WEBHOOK_SECRET"
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sign } from '@octokit/webhooks-methods';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string', default: 'http://127.0.0.1:8080' }, secret: { type: 'string' }, provider: { type: 'string' } },
});
const file = positionals[0];
if (!file || !values.secret) {
  console.error('usage: send-webhook.ts <event.json> --secret SECRET [--url http://127.0.0.1:8080] [--provider github|gitlab]');
  process.exit(2);
}
const body = readFileSync(file, 'utf8');
const payload = JSON.parse(body) as { object_kind?: string };
const provider = values.provider ?? (payload.object_kind ? 'gitlab' : 'github');
const headers: Record<string, string> =
  provider === 'github'
    ? { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(values.secret, body) }
    : { 'x-gitlab-event': payload.object_kind === 'push' ? 'Push Hook' : 'Merge Request Hook', 'x-gitlab-event-uuid': randomUUID(), 'x-gitlab-token': values.secret };
const res = await fetch(`${values.url}/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
console.log(res.status, await res.text());
