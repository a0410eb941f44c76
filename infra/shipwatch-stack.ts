import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readConfig } from './config.ts';
import { ShipwatchAlarms } from './constructs/alarms.ts';
import { AlertsTopic } from './constructs/alerts-topic.ts';
import { AuditSink } from './constructs/audit-sink.ts';
import { FindingsTable } from './constructs/findings-table.ts';
import { IAC_SCAN_TIMEOUT, ShipwatchFunctions } from './constructs/functions.ts';
import { ShipwatchHttpApi } from './constructs/http-api.ts';
import { DashboardSite, dashboardSiteSettings } from './constructs/dashboard-site.ts';
import { ImageScanning } from './constructs/image-scanning.ts';
import { PostureScan } from './constructs/posture-scan.ts';
import { ScanQueue } from './constructs/scan-queue.ts';
import { ShipwatchSecrets } from './constructs/secrets.ts';
import { VulnData } from './constructs/vuln-data.ts';

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
  /** The dashboard site; only with `-c dashboard=true` (see infra/constructs/dashboard-site.ts). */
  readonly dashboard?: DashboardSite;
  readonly vulnData: VulnData;
  readonly imageScanning: ImageScanning;
  readonly auditSink: AuditSink;
  readonly postureScan: PostureScan;

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
    this.vulnData = new VulnData(this, 'VulnData');
    this.imageScanning = new ImageScanning(this, 'Images', { findings: this.findings, vulnData: this.vulnData, registryToken: this.secrets.secrets.registryToken });
    this.auditSink = new AuditSink(this, 'Audit', { findings: this.findings, tokens: this.secrets.secrets.auditTokens });
    // The baselines routes of the findings API read the learning period from the same configuration.
    this.auditSink.grantReadConfig(this.functions.findingsApi.role);
    if (this.auditSink.configLocation) this.functions.findingsApi.function.addEnvironment('SHIPWATCH_AUDIT_CONFIG', this.auditSink.configLocation);
    this.postureScan = new PostureScan(this, 'Posture', { findings: this.findings, auditSink: this.auditSink.function.function });
    this.httpApi = new ShipwatchHttpApi(this, 'Http', {
      gitWebhook: this.functions.gitWebhook.function,
      findingsApi: this.functions.findingsApi.function,
      registryEvent: this.imageScanning.registryEvent.function,
      auditSink: this.auditSink.function.function,
    });
    const dashboard = dashboardSiteSettings(this.node);
    if (dashboard) this.dashboard = new DashboardSite(this, 'Dashboard', { ...dashboard, api: this.httpApi.api, findingsApi: this.functions.findingsApi.function });
    new ShipwatchAlarms(this, 'Alarms', {
      alertsTopic: this.alerts.topic,
      deadLetterQueues: {
        ScanJobs: this.scanQueue.deadLetterQueue,
        ImageJobs: this.imageScanning.deadLetterQueue,
        AuditBatches: this.auditSink.deadLetterQueue,
        Notify: this.functions.notifyFailures,
      },
    });

    const url = this.httpApi.url;
    new CfnOutput(this, 'ApiUrl', { value: url, description: 'Findings API base URL (SigV4, execute-api:Invoke)' });
    new CfnOutput(this, 'GithubWebhookUrl', { value: `${url}webhooks/github`, description: 'GitHub webhook payload URL' });
    new CfnOutput(this, 'GitlabWebhookUrl', { value: `${url}webhooks/gitlab`, description: 'GitLab webhook URL' });
    new CfnOutput(this, 'AuditWebhookUrl', { value: `${url}audit/`, description: 'Audit webhook base: each cluster\'s webhook kubeconfig points at <this>/<cluster> with its token from audit-tokens' });
    new CfnOutput(this, 'RegistryWebhookUrl', { value: `${url}webhooks/registry`, description: 'Registry notification endpoint (Distribution, Harbor), with the registry token as bearer' });
    new CfnOutput(this, 'FindingsTableName', { value: this.findings.table.tableName });
    new CfnOutput(this, 'ScanQueueUrl', { value: this.scanQueue.queue.queueUrl });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'VulnDbUri', { value: this.vulnData.indexUri, description: 'Vulnerability index (SHIPWATCH_VULN_DB)' });
    for (const [key, { name }] of Object.entries(this.secrets.secrets)) {
      new CfnOutput(this, `${key}SecretName`, {
        value: name,
        description: 'Set with: aws secretsmanager put-secret-value --secret-id <this name> --secret-string ...',
      });
    }
  }
}
