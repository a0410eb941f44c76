import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanJob } from '../../shared/pipeline/model.ts';
import type { JobQueue } from '../../shared/pipeline/ports.ts';
import { createQueueWithDeadLetter, SqsJobQueue } from '../../shared/queue/sqs.ts';
import { useMoto } from '../support/aws.ts';

const job: ScanJob = {
  type: 'pull-request',
  provider: 'github',
  repo: 'acme/shop',
  projectId: 'acme/shop',
  number: 7,
  headSha: 'a'.repeat(40),
  baseRef: 'main',
  headRef: 'feature',
  defaultBranch: 'main',
  installationId: 42,
  deliveryId: 'delivery-1',
  url: 'https://github.com/acme/shop/pull/7',
};

let client: SQSClient;
const prefix = `queue-test-${process.pid}`;

beforeAll(() => {
  useMoto();
  client = new SQSClient({});
});

const receive = (queueUrl: string, visibility?: number) =>
  client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: visibility, WaitTimeSeconds: 0 }));

describe('SqsJobQueue', () => {
  it('sends a job as JSON with type and provider attributes', async () => {
    const { queueUrl } = await createQueueWithDeadLetter(client, `${prefix}-jobs`);
    const queue: JobQueue = new SqsJobQueue({ client, queueUrl });
    await queue.send(job);
    const { Messages } = await receive(queueUrl);
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages![0].Body!)).toEqual(job);
    expect(Messages![0].MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'pull-request' },
      provider: { DataType: 'String', StringValue: 'github' },
    });
  });

  it('ends in the dead-letter queue after maxReceiveCount receives without a delete', async () => {
    const { queueUrl, deadLetterUrl } = await createQueueWithDeadLetter(client, `${prefix}-poison`, { maxReceiveCount: 3 });
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toMatchObject({ maxReceiveCount: 3 });
    expect(JSON.parse(Attributes!.RedrivePolicy!).deadLetterTargetArn).toMatch(/:queue-test-\d+-poison-dlq$/);

    await new SqsJobQueue({ client, queueUrl }).send({ ...job, type: 'push', sha: 'b'.repeat(40), branch: 'main' } as ScanJob);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { Messages } = await receive(queueUrl, 0);
      expect(Messages, `receive ${attempt}`).toHaveLength(1);
    }
    expect((await receive(queueUrl, 0)).Messages ?? []).toEqual([]);
    const dead = await receive(deadLetterUrl);
    expect(dead.Messages).toHaveLength(1);
    expect(JSON.parse(dead.Messages![0].Body!)).toMatchObject({ type: 'push', repo: 'acme/shop' });
  });

  it('de-duplicates by delivery id and groups by repository on a FIFO queue', async () => {
    const created = await client.send(
      new CreateQueueCommand({ QueueName: `${prefix}-ordered.fifo`, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' } }),
    );
    const queue = new SqsJobQueue({ client, queueUrl: created.QueueUrl! });
    await queue.send(job);
    await queue.send(job);
    await queue.send({ ...job, deliveryId: 'delivery-2' });
    const { Messages } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: created.QueueUrl!, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }),
    );
    expect(Messages?.map((m) => JSON.parse(m.Body!).deliveryId)).toEqual(['delivery-1', 'delivery-2']);
    expect(Messages?.[0].Attributes?.MessageGroupId).toBe('acme/shop');
  });
});
