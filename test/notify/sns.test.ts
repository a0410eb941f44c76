import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../shared/notify/alert.ts';
import { FanoutNotifier } from '../../shared/notify/fanout.ts';
import { SnsNotifier } from '../../shared/notify/sns.ts';
import { useMoto } from '../support/aws.ts';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { storedFinding } from './fixtures.ts';

let sns: SNSClient;
let sqs: SQSClient;

beforeAll(() => {
  useMoto();
  sns = new SNSClient({});
  sqs = new SQSClient({});
});

async function topic(): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `shipwatch-alerts-${randomUUID()}` }));
  return TopicArn!;
}

/** A queue subscribed to the topic with a filter policy on message attributes. */
async function subscribedQueue(topicArn: string, filterPolicy: Record<string, string[]>, raw = false): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `shipwatch-alerts-${randomUUID()}` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn,
      Attributes: { FilterPolicy: JSON.stringify(filterPolicy), RawMessageDelivery: String(raw) },
    }),
  );
  return QueueUrl!;
}

async function receiveAll(queueUrl: string): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
  );
  return Messages ?? [];
}

/** The SNS envelope SQS receives without raw delivery. */
interface Envelope {
  Subject?: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}
const envelope = (m: Message) => JSON.parse(m.Body!) as Envelope;

describe('SnsNotifier', () => {
  it('publishes the finding with severity, source and ruleId attributes that subscribers filter on', async () => {
    const topicArn = await topic();
    const criticalOnly = await subscribedQueue(topicArn, { severity: ['critical'] });
    const notifier = new SnsNotifier({ topicArn });
    const critical = storedFinding({ severity: 'critical', ruleId: 'K8S-001', evidence: 'AKIA************WXYZ' });
    await notifier.alert(critical);
    await notifier.alert(storedFinding({ severity: 'high', ruleId: 'K8S-030' }));

    const messages = await receiveAll(criticalOnly);
    expect(messages).toHaveLength(1);
    const { Subject, Message, MessageAttributes } = envelope(messages[0]);
    expect(MessageAttributes).toEqual({
      kind: { Type: 'String', Value: 'finding' },
      severity: { Type: 'String', Value: 'critical' },
      source: { Type: 'String', Value: 'iac' },
      ruleId: { Type: 'String', Value: 'K8S-001' },
    });
    expect(Subject).toBe('Shipwatch critical K8S-001: Privileged container');
    const body = JSON.parse(Message) as Record<string, unknown>;
    const { evidence: _evidence, ...expected } = critical;
    expect(body).toEqual({ default: expect.stringContaining('[CRITICAL] K8S-001: Privileged container') as unknown, ...expected });
    expect(body).not.toHaveProperty('evidence');
    expect(Message).not.toContain('AKIA');
    expect(body.default).toContain('acme/shop PR #42');
  });

  it('hands the attributes to raw-delivery subscribers as SQS message attributes', async () => {
    const topicArn = await topic();
    const imageRules = await subscribedQueue(topicArn, { source: ['image'] }, true);
    await new SnsNotifier({ topicArn }).notify([
      storedFinding({ source: 'image', ruleId: 'CVE-2024-3094', scope: { image: 'registry.example/shop' } }),
      storedFinding({ source: 'iac' }),
    ]);
    const messages = await receiveAll(imageRules);
    expect(messages).toHaveLength(1);
    expect(messages[0].MessageAttributes?.ruleId).toMatchObject({ DataType: 'String', StringValue: 'CVE-2024-3094' });
    expect((JSON.parse(messages[0].Body!) as { ruleId: string }).ruleId).toBe('CVE-2024-3094');
  });

  it('publishes one digest above digestAbove, with the highest severity and every source and rule', async () => {
    const topicArn = await topic();
    const criticalOnly = await subscribedQueue(topicArn, { severity: ['critical'] });
    const imageOnly = await subscribedQueue(topicArn, { source: ['image'] });
    const highOnly = await subscribedQueue(topicArn, { severity: ['high'] });
    const findings = [
      ...Array.from({ length: 3 }, () => storedFinding({ severity: 'high', ruleId: 'K8S-030' })),
      storedFinding({ severity: 'critical', source: 'image', ruleId: 'CVE-2024-3094', evidence: 'ghp_************abcd' }),
    ];
    await new SnsNotifier({ topicArn, digestAbove: 3 }).notify(findings);

    const [digest] = await receiveAll(criticalOnly);
    expect(digest).toBeDefined();
    const { MessageAttributes, Message } = envelope(digest);
    expect(MessageAttributes.kind.Value).toBe('digest');
    expect(MessageAttributes.severity).toEqual({ Type: 'String', Value: 'critical' });
    expect(MessageAttributes.source.Type).toBe('String.Array');
    expect(JSON.parse(MessageAttributes.source.Value)).toEqual(['iac', 'image']);
    expect(JSON.parse(MessageAttributes.ruleId.Value)).toEqual(['K8S-030', 'CVE-2024-3094']);
    const body = JSON.parse(Message) as { default: string; total: number; bySeverity: Record<string, number>; bySource: Record<string, number>; findings: { ruleId: string }[] };
    expect(body.total).toBe(4);
    expect(body.bySeverity).toEqual({ critical: 1, high: 3, medium: 0, low: 0, info: 0 });
    expect(body.bySource).toEqual({ iac: 3, image: 1 });
    expect(body.findings[0].ruleId).toBe('CVE-2024-3094');
    expect(body.default).toMatch(/^Shipwatch: 4 new findings \(critical: 1, high: 3\)/);
    expect(Message).not.toContain('ghp_');

    // One message in all, and a source filter matches any source the digest holds.
    expect(await receiveAll(criticalOnly)).toHaveLength(0);
    expect(await receiveAll(imageOnly)).toHaveLength(1);
    expect(await receiveAll(highOnly)).toHaveLength(0);
  });

  it('throws when the topic does not exist', async () => {
    const notifier = new SnsNotifier({ topicArn: 'arn:aws:sns:us-east-1:123456789012:no-such-topic' });
    await expect(notifier.alert(storedFinding())).rejects.toThrow();
  });
});

describe('FanoutNotifier', () => {
  it('attempts every notifier and rethrows a failure afterwards', async () => {
    const topicArn = await topic();
    const everything = await subscribedQueue(topicArn, { severity: ['critical', 'high'] });
    const broken = new SnsNotifier({ topicArn: 'arn:aws:sns:us-east-1:123456789012:no-such-topic' });
    const fanout = new FanoutNotifier([broken, new SnsNotifier({ topicArn })]);
    await expect(fanout.alert(storedFinding())).rejects.toThrow();
    expect(await receiveAll(everything)).toHaveLength(1);
  });

  it('reports every failing notifier', async () => {
    const broken = () => new SnsNotifier({ topicArn: 'arn:aws:sns:us-east-1:123456789012:no-such-topic' });
    const error = await new FanoutNotifier([broken(), broken()]).notify([storedFinding()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as Error).message).toMatch(/^2 of 2 notifiers failed/);
  });

  it('sends a routed finding only to the channels of its routes', async () => {
    const topicArn = await topic();
    const everything = await subscribedQueue(topicArn, { severity: ['critical', 'high', 'medium'] });
    const slack: StoredFinding[] = [];
    const slackChannel: AlertChannel = { route: 'slack', alert: async (f) => void slack.push(f), digest: async (fs) => void slack.push(...fs), notify: async (fs) => void slack.push(...fs) };
    const fanout = new FanoutNotifier([slackChannel, new SnsNotifier({ topicArn })]);
    const slackOnly = storedFinding({ source: 'audit', ruleId: 'AUDIT-030', severity: 'medium', audit: { cluster: 'prod', routes: ['slack'] } });
    const both = storedFinding({ source: 'audit', ruleId: 'AUDIT-015', severity: 'critical', audit: { cluster: 'prod', routes: ['slack', 'sns'] } });
    const unrouted = storedFinding({ severity: 'high' });
    await fanout.notify([slackOnly, both, unrouted]);
    expect(slack.map((f) => f.ruleId).sort()).toEqual(['AUDIT-015', 'AUDIT-030', 'K8S-001']);
    const published = (await receiveAll(everything)).map((m) => envelope(m).MessageAttributes.ruleId.Value);
    expect(published.sort()).toEqual(['AUDIT-015', 'K8S-001']);
  });

  it('sends nothing for no findings', async () => {
    const topicArn = await topic();
    const everything = await subscribedQueue(topicArn, { severity: ['critical', 'high'] });
    await new FanoutNotifier([new SnsNotifier({ topicArn })]).notify([]);
    expect(await receiveAll(everything)).toHaveLength(0);
  });
});
