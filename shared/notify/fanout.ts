import type { StoredFinding } from '../pipeline/model.ts';
import { throwFailures, type AlertChannel } from './alert.ts';

/**
 * Sends every alert to several channels at once (Slack and SNS). Every channel is attempted even
 * when another fails; the failures are rethrown afterwards, so the stream retries the record.
 */
export class FanoutNotifier implements AlertChannel {
  constructor(private readonly channels: readonly AlertChannel[]) {}

  alert(finding: StoredFinding): Promise<void> {
    return this.toAll((channel) => channel.alert(finding));
  }

  digest(findings: StoredFinding[]): Promise<void> {
    return this.toAll((channel) => channel.digest(findings));
  }

  notify(findings: StoredFinding[]): Promise<void> {
    return this.toAll((channel) => channel.notify(findings));
  }

  private async toAll(send: (channel: AlertChannel) => Promise<void>): Promise<void> {
    // A slow channel (Slack waiting out a rate limit) does not hold up the others.
    const results = await Promise.allSettled(this.channels.map(async (channel) => send(channel)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    throwFailures(errors, this.channels.length, 'notifiers');
  }
}
