import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { StoredFinding } from '../pipeline/model.ts';
import {
  DEFAULT_DIGEST_ABOVE,
  digestSummary,
  locationDetails,
  notifyEachOrDigest,
  scopeLabel,
  withoutEvidence,
  type AlertChannel,
} from './alert.ts';

export interface SnsNotifierOptions {
  /** The alerts topic; default env SHIPWATCH_ALERTS_TOPIC_ARN. */
  topicArn?: string;
  client?: SNSClient;
  digestAbove?: number;
}

/** SNS caps a message (body and attributes) at 256 KiB; a digest keeps well below by listing fewer findings. */
const DIGEST_MAX_BYTES = 200 * 1024;
const DIGEST_LISTED = 50;
/** SNS subjects (used by email subscriptions): ASCII, one line, at most 100 characters. */
const SUBJECT_MAX = 100;

/**
 * Alerts on the SNS topic. The body is the finding as JSON (without evidence) with a `default`
 * text for people; the message attributes `severity`, `source` and `ruleId` let subscribers filter.
 */
export class SnsNotifier implements AlertChannel {
  readonly route = 'sns';
  private readonly topicArn: string;
  private readonly client: SNSClient;
  private readonly digestAbove: number;

  constructor(options: SnsNotifierOptions = {}) {
    const topicArn = options.topicArn ?? process.env.SHIPWATCH_ALERTS_TOPIC_ARN;
    if (!topicArn) throw new Error('the SNS notifier needs a topic ARN (SHIPWATCH_ALERTS_TOPIC_ARN)');
    this.topicArn = topicArn;
    this.client = options.client ?? new SNSClient({});
    this.digestAbove = options.digestAbove ?? DEFAULT_DIGEST_ABOVE;
  }

  async alert(f: StoredFinding): Promise<void> {
    const text = [`[${f.severity.toUpperCase()}] ${f.ruleId}: ${f.title}`, scopeLabel(f), ...locationDetails(f), f.message, f.url ?? ''].filter(Boolean).join('\n');
    await this.publish({
      subject: `Shipwatch ${f.severity} ${f.ruleId}: ${f.title}`,
      body: { default: text, ...withoutEvidence(f) },
      attributes: {
        kind: stringAttribute('finding'),
        severity: stringAttribute(f.severity),
        source: stringAttribute(f.source),
        ruleId: stringAttribute(f.ruleId),
      },
    });
  }

  /** One message for many findings; `severity` is the highest, `source` and `ruleId` list every one present. */
  async digest(findings: StoredFinding[]): Promise<void> {
    const summary = digestSummary(findings, DIGEST_LISTED);
    const counts = Object.entries(summary.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${s}: ${n}`);
    const text = [`Shipwatch: ${summary.total} new findings (${counts.join(', ')})`, ...summary.top.map((f) => `[${f.severity}] ${f.ruleId}: ${f.title} (${scopeLabel(f)})`)].join('\n');
    let listed = summary.top.map(withoutEvidence);
    const body = () => ({
      default: text,
      kind: 'digest',
      total: summary.total,
      bySeverity: summary.bySeverity,
      bySource: summary.bySource,
      findings: listed,
    });
    while (listed.length > 1 && Buffer.byteLength(JSON.stringify(body())) > DIGEST_MAX_BYTES) listed = listed.slice(0, Math.ceil(listed.length / 2));
    await this.publish({
      subject: `Shipwatch: ${summary.total} new findings, highest ${summary.highest}`,
      body: body(),
      attributes: {
        kind: stringAttribute('digest'),
        severity: stringAttribute(summary.highest),
        source: stringArrayAttribute([...new Set(findings.map((f) => f.source))]),
        ruleId: stringArrayAttribute([...new Set(findings.map((f) => f.ruleId))]),
      },
    });
  }

  notify(findings: StoredFinding[]): Promise<void> {
    return notifyEachOrDigest(this, findings, this.digestAbove);
  }

  private async publish(message: { subject: string; body: object; attributes: Record<string, MessageAttributeValue> }): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject(message.subject),
        Message: JSON.stringify(message.body),
        MessageAttributes: message.attributes,
      }),
    );
  }
}

function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

/** String.Array: a filter policy on the attribute matches when any element does. */
function stringArrayAttribute(values: string[]): MessageAttributeValue {
  return { DataType: 'String.Array', StringValue: JSON.stringify(values) };
}

function subject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  return ascii.length > SUBJECT_MAX ? ascii.slice(0, SUBJECT_MAX - 3) + '...' : ascii;
}
