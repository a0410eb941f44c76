import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackNotifier, retryAfterSeconds } from '../../shared/notify/slack.ts';
import { startSlackServer, type FakeSlack } from '../support/slack-server.ts';
import { storedFinding } from './fixtures.ts';

let slack: FakeSlack;

beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack.close();
});
afterEach(() => {
  slack.requests.length = 0;
});

const TOKEN = 'xoxb-0000-test-token';

/** The blocks of a received message as one string. */
const blocksText = (body: Record<string, unknown>) => JSON.stringify(body.blocks);

describe('SlackNotifier through an incoming webhook', () => {
  it('posts one Block Kit message per finding', async () => {
    const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl });
    await notifier.notify([storedFinding({ ruleId: 'K8S-001' }), storedFinding({ ruleId: 'K8S-030', severity: 'high' })]);
    expect(slack.delivered).toHaveLength(2);
    const [first, second] = slack.delivered;
    expect(first.via).toBe('webhook');
    // Most severe first.
    expect(blocksText(first.body)).toContain('K8S-001');
    expect(blocksText(second.body)).toContain('K8S-030');
    expect(first.body.text).toBe('Critical K8S-001: Privileged container (acme/shop PR #42)');
    expect(first.body.unfurl_links).toBe(false);
  });

  it('reads the webhook URL from SHIPWATCH_SLACK_WEBHOOK_URL', async () => {
    process.env.SHIPWATCH_SLACK_WEBHOOK_URL = slack.webhookUrl;
    try {
      await new SlackNotifier().alert(storedFinding());
    } finally {
      delete process.env.SHIPWATCH_SLACK_WEBHOOK_URL;
    }
    expect(slack.delivered).toHaveLength(1);
  });

  it('sends one digest instead of a flood above digestAbove', async () => {
    const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl, digestAbove: 3 });
    await notifier.notify(Array.from({ length: 4 }, () => storedFinding()));
    expect(slack.delivered).toHaveLength(1);
    expect(slack.delivered[0].body.text).toBe('Shipwatch: 4 new findings');
    expect(blocksText(slack.delivered[0].body)).toContain('*By severity*');
  });

  it('waits out a 429 as Retry-After says, then delivers the message once', async () => {
    slack.rateLimitNext(1, 1);
    const started = Date.now();
    await new SlackNotifier({ webhookUrl: slack.webhookUrl }).alert(storedFinding());
    const elapsed = Date.now() - started;
    expect(slack.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(slack.requests[1].at - slack.requests[0].at).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(slack.delivered).toHaveLength(1);
  });

  it('fails (never drops) a message that stays rate-limited, after a bounded number of tries', async () => {
    slack.rateLimitNext(5, 0);
    const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl, rateLimitRetries: 2 });
    await expect(notifier.alert(storedFinding())).rejects.toThrow(/429/);
    expect(slack.requests.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(slack.delivered).toHaveLength(0);
    slack.rateLimitNext(0);
  });

  it('fails at once when Retry-After is longer than it may wait', async () => {
    slack.rateLimitNext(1, 120);
    const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl, maxRetryAfterSeconds: 5 });
    await expect(notifier.alert(storedFinding())).rejects.toThrow(/429/);
    expect(slack.requests).toHaveLength(1);
  });

  it('throws when Slack keeps failing, after attempting every finding', async () => {
    slack.failNext(100, 500);
    const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl });
    const error = await notifier.notify([storedFinding(), storedFinding()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toHaveLength(2);
    expect((error as Error).message).toMatch(/^2 of 2 alerts failed/);
    slack.failNext(0);
  });

  it('needs a webhook URL or a token', () => {
    expect(() => new SlackNotifier({})).toThrow(/webhook URL/);
    expect(() => new SlackNotifier({ token: TOKEN })).toThrow(/channel/);
  });
});

describe('SlackNotifier through the Web API (chat.postMessage)', () => {
  it('posts to the channel with the bot token', async () => {
    const notifier = new SlackNotifier({ token: TOKEN, channel: 'C0SECURITY', apiUrl: slack.apiUrl });
    await notifier.alert(storedFinding());
    expect(slack.delivered).toHaveLength(1);
    const [message] = slack.delivered;
    expect(message.via).toBe('api');
    expect(message.authorization).toBe(`Bearer ${TOKEN}`);
    expect(message.body.channel).toBe('C0SECURITY');
    expect(blocksText(message.body)).toContain('Privileged container');
  });

  it('reads the API base URL from SHIPWATCH_SLACK_API_URL', async () => {
    process.env.SHIPWATCH_SLACK_API_URL = slack.apiUrl;
    try {
      await new SlackNotifier({ token: TOKEN, channel: 'C0SECURITY' }).alert(storedFinding());
    } finally {
      delete process.env.SHIPWATCH_SLACK_API_URL;
    }
    expect(slack.delivered).toHaveLength(1);
  });

  it('waits out a 429 as Retry-After says, then delivers the message once', async () => {
    slack.rateLimitNext(1, 1);
    const started = Date.now();
    await new SlackNotifier({ token: TOKEN, channel: 'C0SECURITY', apiUrl: slack.apiUrl }).alert(storedFinding());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(slack.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(slack.requests[1].at - slack.requests[0].at).toBeGreaterThanOrEqual(950);
    expect(slack.delivered).toHaveLength(1);
  });

  it('throws when Slack answers ok: false', async () => {
    const notifier = new SlackNotifier({ token: 'not-a-slack-token', channel: 'C0SECURITY', apiUrl: slack.apiUrl });
    await expect(notifier.alert(storedFinding())).rejects.toThrow(/not_authed/);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterSeconds('1')).toBe(1);
    expect(retryAfterSeconds(' 30 ')).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(retryAfterSeconds(inTwoSeconds)).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds(inTwoSeconds)).toBeLessThanOrEqual(2);
  });
});
