import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../../shared/pipeline/ports.ts';
import type { ScanJob } from '../../shared/pipeline/model.ts';
import { InProcessQueue, type DeadLetter } from '../../shared/queue/local.ts';

interface TestJob {
  id: string;
  failures?: number;
}

describe('InProcessQueue', () => {
  it('delivers asynchronously, a copy of the job each time', async () => {
    const received: TestJob[] = [];
    const queue = new InProcessQueue<TestJob>(async (job) => {
      received.push(job);
    });
    const sent = { id: 'a', when: new Date('2026-01-01T00:00:00Z') } as TestJob;
    await queue.send(sent);
    expect(received).toEqual([]);
    await queue.idle();
    expect(received).toEqual([{ id: 'a', when: '2026-01-01T00:00:00.000Z' }]);
    expect(received[0]).not.toBe(sent);
  });

  it('retries failures, then dead-letters a poison message while the others succeed', async () => {
    const attempts = new Map<string, number>();
    const done: string[] = [];
    const told: DeadLetter<TestJob>[] = [];
    const queue = new InProcessQueue<TestJob>(
      async (job) => {
        const n = (attempts.get(job.id) ?? 0) + 1;
        attempts.set(job.id, n);
        if (job.id === 'poison' || n <= (job.failures ?? 0)) throw new Error(`${job.id} failed on attempt ${n}`);
        done.push(job.id);
      },
      { retryDelayMs: 1, concurrency: 2, onDeadLetter: (letter) => told.push(letter) },
    );
    await Promise.all([queue.send({ id: 'ok' }), queue.send({ id: 'poison' }), queue.send({ id: 'flaky', failures: 2 }), queue.send({ id: 'ok-2' })]);
    await queue.idle();

    expect(done.sort()).toEqual(['flaky', 'ok', 'ok-2']);
    expect(attempts.get('poison')).toBe(3);
    expect(attempts.get('flaky')).toBe(3);
    expect(attempts.get('ok')).toBe(1);
    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]).toMatchObject({ job: { id: 'poison' }, receiveCount: 3 });
    expect(String(queue.deadLetters[0].error)).toMatch(/poison failed on attempt 3/);
    expect(told).toEqual(queue.deadLetters);
  });

  it('honours maxReceiveCount and is idle right away when empty', async () => {
    let calls = 0;
    const queue = new InProcessQueue<TestJob>(
      async () => {
        calls++;
        throw new Error('always');
      },
      { maxReceiveCount: 5, retryDelayMs: 0 },
    );
    await queue.idle();
    await queue.send({ id: 'x' });
    await queue.idle();
    expect(calls).toBe(5);
    expect(queue.deadLetters[0].receiveCount).toBe(5);
  });

  it('is a JobQueue for scan jobs', async () => {
    const jobs: ScanJob[] = [];
    const queue: JobQueue = new InProcessQueue<ScanJob>(async (job) => {
      jobs.push(job);
    });
    await queue.send({ type: 'push', provider: 'gitlab', repo: 'g/p', projectId: 12, sha: 'c'.repeat(40), branch: 'main', deliveryId: 'd', url: '' });
    await (queue as InProcessQueue<ScanJob>).idle();
    expect(jobs.map((j) => j.type)).toEqual(['push']);
  });
});
