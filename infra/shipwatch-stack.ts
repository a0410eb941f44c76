import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readConfig } from './config.ts';
import { ShipwatchAlarms } from './constructs/alarms.ts';
import { AlertsTopic } from './constructs/alerts-topic.ts';
import { FindingsTable } from './constructs/findings-table.ts';
import { IAC_SCAN_TIMEOUT, ShipwatchFunctions } from './constructs/functions.ts';
import { ShipwatchHttpApi } from './constructs/http-api.ts';
import { ScanQueue } from './constructs/scan-queue.ts';
import { ShipwatchSecrets } from './constructs/secrets.ts';

/**
 * The Shipwatch git pipeline: webhook -> scan queue -> iac-scan -> findings table -> notify,
 * plus the IAM-authorised findings API. infra/DESIGN.md describes each piece.
 */
export class ShipwatchStack extends Stack {
  readonly findings: FindingsTable;
  readonly scanQueue: ScanQueue;
  readonly alerts: AlertsTopic;
  readonly secrets: ShipwatchSecrets;
  readonly functions: ShipwatchFunctions;
  readonly httpApi: ShipwatchHttpApi;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const config = readConfig(this.node);
    Tags.of(this).add('project', 'shipwatch');

    this.findings = new FindingsTable(this, 'Findings');
    this.scanQueue = new ScanQueue(this, 'ScanJobs', { consumerTimeout: IAC_SCAN_TIMEOUT });
    this.alerts = new AlertsTopic(this, 'Alerts', { alarmEmail: config.alarmEmail });
    this.secrets = new ShipwatchSecrets(this, 'Secrets');
    this.functions = new ShipwatchFunctions(this, 'Functions', {
      config,
      findings: this.findings,
      scanQueue: this.scanQueue,
      alerts: this.alerts,
      secrets: this.secrets,
    });
    this.httpApi = new ShipwatchHttpApi(this, 'Http', {
      gitWebhook: this.functions.gitWebhook.function,
      findingsApi: this.functions.findingsApi.function,
    });
    new ShipwatchAlarms(this, 'Alarms', {
      alertsTopic: this.alerts.topic,
      deadLetterQueues: {
        ScanJobs: this.scanQueue.deadLetterQueue,
        Notify: this.functions.notifyFailures,
      },
    });

    const url = this.httpApi.url;
    new CfnOutput(this, 'ApiUrl', { value: url, description: 'Findings API base URL (SigV4, execute-api:Invoke)' });
    new CfnOutput(this, 'GithubWebhookUrl', { value: `${url}webhooks/github`, description: 'GitHub webhook payload URL' });
    new CfnOutput(this, 'GitlabWebhookUrl', { value: `${url}webhooks/gitlab`, description: 'GitLab webhook URL' });
    new CfnOutput(this, 'FindingsTableName', { value: this.findings.table.tableName });
    new CfnOutput(this, 'ScanQueueUrl', { value: this.scanQueue.queue.queueUrl });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alerts.topic.topicArn });
    for (const [key, { name }] of Object.entries(this.secrets.secrets)) {
      new CfnOutput(this, `${key}SecretName`, {
        value: name,
        description: 'Set with: aws secretsmanager put-secret-value --secret-id <this name> --secret-string ...',
      });
    }
  }
}
