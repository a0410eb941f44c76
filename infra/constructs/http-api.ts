import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ShipwatchHttpApiProps {
  gitWebhook: lambda.IFunction;
  findingsApi: lambda.IFunction;
  /** `POST /webhooks/registry`: registry push notifications (Distribution, Harbor). */
  registryEvent?: lambda.IFunction;
  /** `POST /audit/{cluster}`: Kubernetes API server audit webhooks. */
  auditSink?: lambda.IFunction;
}

/** Stage-wide limits; webhooks arrive in bursts (a push to many repositories), reads are light. */
const THROTTLE = { rateLimit: 50, burstLimit: 100 };

/** One JSON line per request; no headers or bodies (they carry webhook signatures and payloads). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  caller: '$context.identity.userArn',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

/** The findings-api routes the dashboard uses too (its site serves them under /api). */
export const FINDINGS_ROUTES: [apigw.HttpMethod, string][] = [
  [apigw.HttpMethod.GET, '/findings'],
  [apigw.HttpMethod.GET, '/findings/{fingerprint}'],
  [apigw.HttpMethod.POST, '/findings/{fingerprint}/suppress'],
  [apigw.HttpMethod.POST, '/findings/{fingerprint}/reopen'],
  [apigw.HttpMethod.GET, '/stats'],
  [apigw.HttpMethod.GET, '/compliance'],
  [apigw.HttpMethod.GET, '/compliance/{framework}'],
  [apigw.HttpMethod.GET, '/inventory'],
];

/** Learned audit baselines: operators only (IAM), not the dashboard. */
const BASELINE_ROUTES: [apigw.HttpMethod, string][] = [
  [apigw.HttpMethod.GET, '/baselines/{cluster}/{serviceAccount}'],
  [apigw.HttpMethod.DELETE, '/baselines/{cluster}/{serviceAccount}'],
];

/**
 * The HTTP API: public webhook routes (the senders prove themselves with a signature or token the
 * function checks) and the findings routes behind IAM (SigV4) authorisation.
 */
export class ShipwatchHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: ShipwatchHttpApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Shipwatch webhooks and findings API',
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const webhook = new HttpLambdaIntegration('GitWebhook', props.gitWebhook);
    for (const path of ['/webhooks/github', '/webhooks/gitlab']) {
      const [route] = this.api.addRoutes({ path, methods: [apigw.HttpMethod.POST], integration: webhook });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Webhook route: GitHub and GitLab cannot sign requests with SigV4 or send a bearer token of ' +
          'ours. The git-webhook function rejects every delivery whose X-Hub-Signature-256 HMAC or ' +
          'X-Gitlab-Token does not match the webhook secret in Secrets Manager.',
      });
    }

    if (props.registryEvent) {
      const [route] = this.api.addRoutes({ path: '/webhooks/registry', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('RegistryEvent', props.registryEvent) });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Webhook route: registries (Distribution, Harbor) cannot sign requests with SigV4. The registry-event ' +
          'function rejects every notification whose bearer token does not match the registry token in Secrets Manager.',
      });
    }

    if (props.auditSink) {
      const [route] = this.api.addRoutes({ path: '/audit/{cluster}', methods: [apigw.HttpMethod.POST], integration: new HttpLambdaIntegration('AuditSink', props.auditSink) });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Webhook route: the Kubernetes API server\'s audit webhook cannot sign requests with SigV4; it sends the ' +
          'bearer token of its webhook kubeconfig. The audit-sink function compares it in constant time with the ' +
          'cluster\'s token in Secrets Manager and rejects the request (401/404) before reading the events.',
      });
    }

    const findings = new HttpLambdaIntegration('FindingsApi', props.findingsApi);
    const iam = new HttpIamAuthorizer();
    for (const [method, path] of [...FINDINGS_ROUTES, ...BASELINE_ROUTES]) {
      this.api.addRoutes({ path, methods: [method], integration: findings, authorizer: iam });
    }
  }

  /** Base URL of the API (the $default stage), with a trailing slash. */
  get url(): string {
    return this.stage.url;
  }
}
