import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverStreamAlerts } from '../../shared/notify/deliver.ts';
import { FanoutNotifier } from '../../shared/notify/fanout.ts';
import { SlackNotifier } from '../../shared/notify/slack.ts';
import { SnsNotifier } from '../../shared/notify/sns.ts';
import { alertsFromStream } from '../../shared/notify/stream.ts';
import { useMoto } from '../support/aws.ts';
import { startSlackServer, type FakeSlack } from '../support/slack-server.ts';
import { inserted, modified, sequenceNumberOf, storedFinding } from './fixtures.ts';

let slack: FakeSlack;

beforeAll(async () => {
  useMoto();
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack.close();
});

/** A fresh topic with one unfiltered SQS subscriber (raw delivery). */
async function topicWithQueue(): Promise<{ topicArn: string; queueUrl: string }> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `shipwatch-notify-${randomUUID()}` }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `shipwatch-notify-${randomUUID()}` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }));
  return { topicArn: TopicArn!, queueUrl: QueueUrl! };
}

describe('a stream batch through Slack and SNS', () => {
  it('alerts new and re-opened findings on both, and fails only the record Slack refused', async () => {
    const { topicArn, queueUrl } = await topicWithQueue();
    const channel = new FanoutNotifier([new SlackNotifier({ webhookUrl: slack.webhookUrl }), new SnsNotifier({ topicArn })]);
    const critical = storedFinding({ severity: 'critical', ruleId: 'K8S-001' });
    const reopened = storedFinding({ severity: 'high', ruleId: 'K8S-030' });
    const records = [inserted(critical), modified(reopened, 'resolved'), inserted(storedFinding({ severity: 'low' }))];

    // The first message (the critical one) fails, retries included; the second goes through.
    slack.failNext(3, 500);
    const result = await deliverStreamAlerts(alertsFromStream(records), channel);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberOf(records[0]) }]);
    expect(slack.delivered.map((r) => JSON.stringify(r.body.blocks).includes('K8S-030'))).toEqual([true]);
    const { Messages } = await new SQSClient({}).send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect((Messages ?? []).map((m) => (JSON.parse(m.Body!) as { ruleId: string }).ruleId).sort()).toEqual(['K8S-001', 'K8S-030']);
  });
});
