// The queue `shipwatch serve` and tests run in process: SQS semantics in small (asynchronous
// delivery, a copy of the body per receive, retries up to maxReceiveCount, then a dead-letter list).
import type { ScanJob } from '../pipeline/model.ts';

export interface DeadLetter<J> {
  job: J;
  /** The consumer's last error. */
  error: unknown;
  receiveCount: number;
}

export interface InProcessQueueOptions<J> {
  /** Deliveries before a failing message goes to the dead letters (SQS redrive's maxReceiveCount); default 3. */
  maxReceiveCount?: number;
  /** Wait before the n-th retry is n times this; default 10 ms. */
  retryDelayMs?: number;
  /** Messages handled at once; default 1. */
  concurrency?: number;
  /** Told about each message that ends in the dead letters (to log it). */
  onDeadLetter?: (letter: DeadLetter<J>) => void;
}

interface Message {
  body: string;
  receiveCount: number;
}

export class InProcessQueue<J = ScanJob> {
  /** Messages that failed maxReceiveCount times, oldest first. */
  readonly deadLetters: DeadLetter<J>[] = [];
  private readonly waiting: Message[] = [];
  private readonly maxReceiveCount: number;
  private readonly retryDelayMs: number;
  private readonly concurrency: number;
  private readonly onDeadLetter?: (letter: DeadLetter<J>) => void;
  private inFlight = 0;
  private retrying = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly consumer: (job: J) => Promise<void>,
    options: InProcessQueueOptions<J> = {},
  ) {
    this.maxReceiveCount = Math.max(1, options.maxReceiveCount ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 10;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.onDeadLetter = options.onDeadLetter;
  }

  /** Queues a job; the consumer runs later, never inside this call. */
  async send(job: J): Promise<void> {
    // Like SQS, every receive gets its own copy of what was sent, and only JSON survives the trip.
    this.waiting.push({ body: JSON.stringify(job), receiveCount: 0 });
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is waiting, running or due for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.inFlight === 0 && this.retrying === 0;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting.length > 0) {
      const message = this.waiting.shift()!;
      this.inFlight++;
      void this.deliver(message).finally(() => {
        this.inFlight--;
        this.pump();
        this.wakeIfIdle();
      });
    }
    this.wakeIfIdle();
  }

  private async deliver(message: Message): Promise<void> {
    message.receiveCount++;
    try {
      await this.consumer(JSON.parse(message.body) as J);
    } catch (error) {
      if (message.receiveCount >= this.maxReceiveCount) {
        const letter: DeadLetter<J> = { job: JSON.parse(message.body) as J, error, receiveCount: message.receiveCount };
        this.deadLetters.push(letter);
        this.onDeadLetter?.(letter);
        return;
      }
      this.retrying++;
      setTimeout(() => {
        this.retrying--;
        this.waiting.push(message);
        this.pump();
      }, this.retryDelayMs * message.receiveCount);
    }
  }

  private wakeIfIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
