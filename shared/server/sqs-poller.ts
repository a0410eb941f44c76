import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ScanJob } from '../pipeline/model.ts';
import { parseScanJob } from '../pipeline/jobs.ts';

/**
 * What Lambda's SQS event source does for the deployed iac-scan, for the local server running
 * against AWS: long-poll, hand each job to the consumer, delete it on success. A failed message
 * becomes visible again and the queue's redrive policy moves it to the DLQ after its retries.
 */
export class SqsPoller {
  private readonly client = new SQSClient({});
  private running = false;
  private busy = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly queueUrl: string,
    private readonly consume: (job: ScanJob) => Promise<void>,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  stop(): void {
    this.running = false;
  }

  /** Resolves once a receive came back empty with nothing in flight. */
  async idle(): Promise<void> {
    while (this.busy > 0) await new Promise((r) => setTimeout(r, 50));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let messages;
      try {
        ({ Messages: messages } = await this.client.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 5, WaitTimeSeconds: 1, VisibilityTimeout: 60 })));
      } catch (e) {
        this.log(`SQS receive failed: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      for (const m of messages ?? []) {
        this.busy++;
        try {
          await this.consume(parseScanJob(m.Body ?? ''));
          await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: m.ReceiptHandle }));
        } catch (e) {
          this.log(`scan job failed (will be retried): ${(e as Error).message}`);
        } finally {
          this.busy--;
        }
      }
    }
  }
}
