// The SQS adapter of JobQueue: one JSON message per job, with the job's type and provider as
// message attributes (for filtering and for logs that never open the body).
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { ScanJob } from '../pipeline/model.ts';

/** What a queued job carries besides its body: `type` always, `provider` when it has one. */
export interface QueueableJob {
  type: string;
  provider?: string;
  /** On FIFO queues: the de-duplication id (a webhook delivery id). */
  deliveryId?: string;
  /** On FIFO queues: the message group (jobs of one repository stay in order). */
  repo?: string;
}

export interface SqsJobQueueOptions {
  queueUrl: string;
  /** Defaults to a client configured from the environment (AWS_ENDPOINT_URL, AWS_REGION...). */
  client?: SQSClient;
}

/** A JobQueue over SQS (`SqsJobQueue<ScanJob>` for scan jobs; other job kinds reuse it with their own type). */
export class SqsJobQueue<J extends QueueableJob = ScanJob> {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsJobQueueOptions) {
    this.client = options.client ?? new SQSClient({});
    this.queueUrl = options.queueUrl;
  }

  async send(job: J): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = { type: { DataType: 'String', StringValue: job.type } };
    if (job.provider) attributes.provider = { DataType: 'String', StringValue: job.provider };
    const fifo = this.queueUrl.endsWith('.fifo');
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        MessageAttributes: attributes,
        ...(fifo ? { MessageGroupId: job.repo ?? job.type, ...(job.deliveryId ? { MessageDeduplicationId: job.deliveryId } : {}) } : {}),
      }),
    );
  }
}

/**
 * Creates a queue with its dead-letter queue (`<name>-dlq`): a message received `maxReceiveCount`
 * times without being deleted moves there. For tests and the local server; the CDK stack makes the
 * deployed ones. Returns both URLs; existing queues with the same attributes are reused.
 */
export async function createQueueWithDeadLetter(
  client: SQSClient,
  name: string,
  options: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number } = {},
): Promise<{ queueUrl: string; deadLetterUrl: string }> {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) } }));
  const deadLetterUrl = dlq.QueueUrl!;
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }));
  const queue = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: options.maxReceiveCount ?? 3 }),
      },
    }),
  );
  return { queueUrl: queue.QueueUrl!, deadLetterUrl };
}
