import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { AlertChannel } from './alert.ts';
import type { StreamAlerts } from './stream.ts';

export interface DeliveryFailure {
  /** Stored fingerprints of the findings whose message failed (several for a digest). */
  fingerprints: string[];
  error: unknown;
}

export interface DeliveryResult extends DynamoDBBatchResponse {
  /** What failed and why, for the handler's log. */
  failures: DeliveryFailure[];
}

/**
 * Sends a stream batch's alerts and reports the records whose message failed as batch item
 * failures (their sequence numbers), so the stream retries them and finally dead-letters them.
 */
export async function deliverStreamAlerts(alerts: StreamAlerts, channel: AlertChannel): Promise<DeliveryResult> {
  const failedRecords = new Set(alerts.unreadable);
  const failures: DeliveryFailure[] = [];
  const attempt = async (fingerprints: string[], send: () => Promise<void>) => {
    try {
      await send();
    } catch (error) {
      failures.push({ fingerprints, error });
      for (const fingerprint of fingerprints) for (const record of alerts.records.get(fingerprint) ?? []) failedRecords.add(record);
    }
  };
  for (const finding of alerts.individual) await attempt([finding.fingerprint], () => channel.alert(finding));
  if (alerts.digest.length) await attempt(alerts.digest.map((f) => f.fingerprint), () => channel.digest(alerts.digest));
  return { batchItemFailures: [...failedRecords].map((itemIdentifier) => ({ itemIdentifier })), failures };
}
