import type { DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SEVERITIES, type Severity } from '../../shared/findings/finding.ts';
import { alertsFromStream } from '../../shared/notify/stream.ts';
import { deliverStreamAlerts } from '../../shared/notify/deliver.ts';
import { FanoutNotifier } from '../../shared/notify/fanout.ts';
import { SlackNotifier } from '../../shared/notify/slack.ts';
import { SnsNotifier } from '../../shared/notify/sns.ts';
import type { AlertChannel } from '../../shared/notify/alert.ts';
import { logger, metrics, lambdaHandler } from '../../shared/runtime/lambda.ts';
import { secretJson } from '../../shared/runtime/secrets.ts';

const minSeverity: Severity = (SEVERITIES as readonly string[]).includes(process.env.SHIPWATCH_NOTIFY_MIN_SEVERITY ?? '') ? (process.env.SHIPWATCH_NOTIFY_MIN_SEVERITY as Severity) : 'high';
const digestAbove = Number(process.env.SHIPWATCH_NOTIFY_DIGEST_ABOVE) || 10;

async function channel(): Promise<AlertChannel> {
  const channels: AlertChannel[] = [new SnsNotifier({ digestAbove })];
  const slack = await secretJson<{ webhookUrl?: string; botToken?: string; channel?: string }>(process.env.SHIPWATCH_SLACK_SECRET_ARN);
  if (slack?.botToken && slack.channel) channels.push(new SlackNotifier({ token: slack.botToken, channel: slack.channel, digestAbove }));
  else if (slack?.webhookUrl) channels.push(new SlackNotifier({ webhookUrl: slack.webhookUrl, digestAbove }));
  return new FanoutNotifier(channels);
}

/** Findings table stream: new or re-opened serious findings to Slack and SNS; failures go back to the stream. */
export const handler = lambdaHandler(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const alerts = alertsFromStream(event.Records, { minSeverity, digestAbove });
  const result = await deliverStreamAlerts(alerts, await channel());
  metrics.addMetric('AlertsSent', MetricUnit.Count, alerts.individual.length + (alerts.digest.length ? 1 : 0));
  for (const f of result.failures) logger.error('alert delivery failed', { fingerprints: f.fingerprints, error: String((f.error as Error)?.message ?? f.error) });
  return { batchItemFailures: result.batchItemFailures };
});
