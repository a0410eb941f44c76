import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ScanQueueProps {
  /** Timeout of the function that consumes the queue (iac-scan). */
  consumerTimeout: Duration;
}

/** A job that failed this many deliveries moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 3;

/**
 * The scan-jobs queue between git-webhook and iac-scan, with its dead-letter queue.
 * SQS-managed encryption: nothing outside this stack reads the queue, so a customer key buys nothing.
 */
export class ScanQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ScanQueueProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: 'shipwatch-scan-jobs-dlq',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: 'shipwatch-scan-jobs',
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for Lambda consumers: six times the function timeout, so a message is not
      // handed to a second worker while the first one (with its batch) is still running.
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}
