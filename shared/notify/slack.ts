import { IncomingWebhook, type FetchFunction } from '@slack/webhook';
import { LogLevel, WebClient } from '@slack/web-api';
import type { Severity } from '../findings/finding.ts';
import type { StoredFinding } from '../pipeline/model.ts';
import {
  DEFAULT_DIGEST_ABOVE,
  digestSummary,
  locationDetails,
  notifyEachOrDigest,
  scopeLabel,
  type AlertChannel,
} from './alert.ts';

// ---- Block Kit ---------------------------------------------------------------------------------

/** The Block Kit blocks Shipwatch sends (a subset of Slack's). */
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' };
interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: true;
}
interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface SlackMessage {
  /** Notification and fallback text (mrkdwn, escaped like the blocks). */
  text: string;
  blocks: SlackBlock[];
}

// Slack's limits: header text 150 characters, section text 3000, a field 2000, 10 fields a section.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
/** Findings a digest lists by name. */
const DIGEST_LISTED = 10;

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' };
const LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ZERO_WIDTH_JOINER = '\u200d';

/**
 * Makes untrusted text inert in Slack mrkdwn: `&`, `<`, `>` become entities (so `<!channel>`,
 * `<@U123>`, `<#C123>` and `<url|text>` are shown, not interpreted), and the words `@channel`,
 * `@here` and `@everyone` get a zero-width joiner after the `@` so they never notify anyone.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITY[c]).replace(/@(channel|here|everyone)\b/gi, `@${ZERO_WIDTH_JOINER}$1`);
}

/** Escaped text cut to Slack's limit, never in the middle of an entity. */
function mrkdwn(untrusted: string, max: number): Mrkdwn {
  return { type: 'mrkdwn', text: truncate(escapeMrkdwn(untrusted), max) };
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, max - 1).replace(/&[a-z]*$/, '') + '…';
}

/** A link in mrkdwn, only for http(s) URLs; anything else is shown as text. */
function link(url: string | null, label: string): string {
  const safeLabel = escapeMrkdwn(label);
  if (!url) return safeLabel;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return safeLabel;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return safeLabel;
  // URL serialisation percent-encodes `<`, `>` and spaces; `|` would end the URL part of the link.
  const target = escapeMrkdwn(parsed.href.replace(/\|/g, '%7C'));
  return `<${target}|${safeLabel}>`;
}

function header(text: string): SlackBlock {
  const cut = text.length > HEADER_MAX ? text.slice(0, HEADER_MAX - 1) + '…' : text;
  return { type: 'header', text: { type: 'plain_text', text: cut, emoji: true } };
}

/** Where the finding is, with the link to the PR file, commit or image when there is one. */
function whereText(f: StoredFinding): string {
  const details = locationDetails(f).map(escapeMrkdwn);
  return [link(f.url, scopeLabel(f)), ...details].join('\n');
}

/** One finding: severity, rule, title, where (linked), what is wrong and how to fix it. Never the evidence. */
export function slackBlocks(f: StoredFinding): SlackBlock[] {
  const blocks: SlackBlock[] = [
    // Header text is plain_text, which Slack never parses: only trusted words go there.
    header(`${ICON[f.severity]} ${LABEL[f.severity]} finding: ${f.ruleId}`),
    { type: 'section', text: mrkdwn(`*${f.title}*\n${f.message}`, SECTION_MAX) },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Severity*\n${ICON[f.severity]} ${LABEL[f.severity]}` },
        { type: 'mrkdwn', text: truncate(`*Rule*\n${escapeMrkdwn(f.ruleId)}`, FIELD_MAX) },
        { type: 'mrkdwn', text: truncate(`*Source*\n${escapeMrkdwn(f.source)}`, FIELD_MAX) },
        { type: 'mrkdwn', text: truncate(`*Where*\n${whereText(f)}`, FIELD_MAX) },
      ],
    },
  ];
  if (f.remediation) blocks.push({ type: 'section', text: mrkdwn(`*Remediation*\n${f.remediation}`, SECTION_MAX) });
  const context = [`fingerprint ${f.fingerprint.slice(0, 12)}`];
  if (f.firstSeen) context.unshift(`First seen ${f.firstSeen}`);
  if (f.compliance.length) context.push(f.compliance.join(', '));
  blocks.push({ type: 'context', elements: [mrkdwn(context.join(' · '), FIELD_MAX)] });
  return blocks;
}

/** Many findings at once: counts by severity and by source, then the most severe ones by name. */
export function slackDigestBlocks(findings: StoredFinding[]): SlackBlock[] {
  const summary = digestSummary(findings, DIGEST_LISTED);
  const severities = (Object.keys(summary.bySeverity) as Severity[])
    .filter((s) => summary.bySeverity[s] > 0)
    .map((s) => `${ICON[s]} ${LABEL[s]}: *${summary.bySeverity[s]}*`);
  const sources = Object.entries(summary.bySource).map(([source, n]) => `${escapeMrkdwn(source)}: *${n}*`);
  const listed = summary.top.map(
    (f) => `${ICON[f.severity]} *${escapeMrkdwn(f.ruleId)}* ${escapeMrkdwn(f.title)} (${link(f.url, scopeLabel(f))})`,
  );
  const blocks: SlackBlock[] = [
    header(`${ICON[summary.highest]} Shipwatch: ${summary.total} new findings`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: truncate(`*By severity*\n${severities.join('\n')}`, FIELD_MAX) },
        { type: 'mrkdwn', text: truncate(`*By source*\n${sources.join('\n')}`, FIELD_MAX) },
      ],
    },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Most severe*\n${listed.join('\n')}`, SECTION_MAX) } },
  ];
  const unlisted = summary.total - summary.top.length;
  if (unlisted > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${unlisted} more` }] });
  return blocks;
}

export function slackMessage(f: StoredFinding): SlackMessage {
  return { text: truncate(escapeMrkdwn(`${LABEL[f.severity]} ${f.ruleId}: ${f.title} (${scopeLabel(f)})`), SECTION_MAX), blocks: slackBlocks(f) };
}

export function slackDigestMessage(findings: StoredFinding[]): SlackMessage {
  return { text: `Shipwatch: ${findings.length} new findings`, blocks: slackDigestBlocks(findings) };
}

// ---- Transport ---------------------------------------------------------------------------------

export interface SlackNotifierOptions {
  /** Incoming webhook URL; default env SHIPWATCH_SLACK_WEBHOOK_URL. Used when no token is given. */
  webhookUrl?: string;
  /** Bot token for the Web API (`chat.postMessage`); needs `channel`. */
  token?: string;
  channel?: string;
  /** Web API base URL; default env SHIPWATCH_SLACK_API_URL, else Slack's. */
  apiUrl?: string;
  digestAbove?: number;
  /** How many 429 answers a message may get (each waited out per Retry-After) before it fails. */
  rateLimitRetries?: number;
  /**
   * Webhook only: the longest Retry-After worth waiting for inside one invocation; a longer one
   * fails the message at once and the stream retries it later. (The Web API client always waits.)
   */
  maxRetryAfterSeconds?: number;
}

type Send = (message: SlackMessage) => Promise<void>;

/** Slack alerts through an incoming webhook or the Web API (bot token + channel). */
export class SlackNotifier implements AlertChannel {
  readonly route = 'slack';
  private readonly send: Send;
  private readonly digestAbove: number;

  constructor(options: SlackNotifierOptions = {}) {
    this.digestAbove = options.digestAbove ?? DEFAULT_DIGEST_ABOVE;
    const retries = options.rateLimitRetries ?? 3;
    const maxWait = options.maxRetryAfterSeconds ?? 10;
    if (options.token) {
      if (!options.channel) throw new Error('the Slack Web API needs a channel next to the bot token');
      this.send = webApiSender(options.token, options.channel, options.apiUrl ?? process.env.SHIPWATCH_SLACK_API_URL, retries);
    } else {
      const url = options.webhookUrl ?? process.env.SHIPWATCH_SLACK_WEBHOOK_URL;
      if (!url) throw new Error('Slack needs an incoming webhook URL (SHIPWATCH_SLACK_WEBHOOK_URL) or a bot token and channel');
      this.send = webhookSender(url, retries, maxWait);
    }
  }

  alert(finding: StoredFinding): Promise<void> {
    return this.send(slackMessage(finding));
  }

  digest(findings: StoredFinding[]): Promise<void> {
    return this.send(slackDigestMessage(findings));
  }

  notify(findings: StoredFinding[]): Promise<void> {
    return notifyEachOrDigest(this, findings, this.digestAbove);
  }
}

function webApiSender(token: string, channel: string, apiUrl: string | undefined, rateLimitRetries: number): Send {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    // The client waits out a 429's Retry-After itself and then retries, within this budget.
    rejectRateLimitedCalls: false,
    retryConfig: { retries: rateLimitRetries, factor: 1, minTimeout: 100, maxTimeout: 1000 },
    logLevel: LogLevel.WARN,
  });
  return async (message) => {
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
  };
}

function webhookSender(url: string, rateLimitRetries: number, maxRetryAfterSeconds: number): Send {
  const webhook = new IncomingWebhook(url, {
    // The webhook client fails a 429 at once; the fetch below waits it out first.
    fetch: honouringRetryAfter(globalThis.fetch, rateLimitRetries, maxRetryAfterSeconds),
    // Server errors and dropped connections are retried by the client itself.
    retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1000 },
  });
  return async (message) => {
    await webhook.send({ text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
  };
}

/**
 * fetch that answers a 429 by waiting as long as its Retry-After says and sending again, at most
 * `retries` times and never longer than `maxWaitSeconds` a wait; the last answer goes to the caller.
 */
function honouringRetryAfter(fetchFn: FetchFunction, retries: number, maxWaitSeconds: number): FetchFunction {
  return async (url, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchFn(url, init);
      if (response.status !== 429 || attempt >= retries) return response;
      const wait = retryAfterSeconds(response.headers.get('retry-after'));
      if (wait === null || wait > maxWaitSeconds) return response;
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  };
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
