import type { StoredFinding } from '../pipeline/model.ts';
import { routesOf, throwFailures, type AlertChannel } from './alert.ts';

/**
 * Sends every alert to several channels at once (Slack and SNS), a routed finding only to the
 * channels of its routes. Every channel is attempted even when another fails; the failures are
 * rethrown afterwards, so the stream retries the record.
 */
export class FanoutNotifier implements AlertChannel {
  constructor(private readonly channels: readonly AlertChannel[]) {}

  alert(finding: StoredFinding): Promise<void> {
    return this.toAll((channel) => (routedTo(finding, channel) ? channel.alert(finding) : undefined));
  }

  digest(findings: StoredFinding[]): Promise<void> {
    return this.toAll((channel) => {
      const mine = findings.filter((f) => routedTo(f, channel));
      return mine.length ? channel.digest(mine) : undefined;
    });
  }

  notify(findings: StoredFinding[]): Promise<void> {
    return this.toAll((channel) => {
      const mine = findings.filter((f) => routedTo(f, channel));
      return mine.length ? channel.notify(mine) : undefined;
    });
  }

  private async toAll(send: (channel: AlertChannel) => Promise<void> | undefined): Promise<void> {
    // A slow channel (Slack waiting out a rate limit) does not hold up the others.
    const results = await Promise.allSettled(this.channels.map(async (channel) => send(channel)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    throwFailures(errors, this.channels.length, 'notifiers');
  }
}

function routedTo(finding: StoredFinding, channel: AlertChannel): boolean {
  const routes = routesOf(finding);
  return !routes || !channel.route || routes.includes(channel.route);
}
