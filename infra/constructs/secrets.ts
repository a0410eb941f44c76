import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The operator-provided secrets: the last part of each secret's name, and what its value holds. */
const SECRETS = {
  githubWebhook: {
    name: 'github-webhook-secret',
    description: 'GitHub webhook secret (plain string) that X-Hub-Signature-256 is verified with',
  },
  gitlabWebhook: {
    name: 'gitlab-webhook-secret',
    description: 'GitLab webhook secret token (plain string) compared with X-Gitlab-Token',
  },
  githubApp: {
    name: 'github-app',
    description: 'GitHub credentials, JSON: {"appId","privateKey"} for a GitHub App or {"token"}',
  },
  gitlabToken: {
    name: 'gitlab-token',
    description: 'GitLab access token (plain string) with api scope',
  },
  slack: {
    name: 'slack',
    description: 'Slack, JSON: {"webhookUrl"} or {"botToken","channel"}',
  },
  registryToken: {
    name: 'registry-token',
    description: 'Bearer token (plain string) that registry push notifications (Distribution, Harbor) must carry',
  },
  auditTokens: {
    name: 'audit-tokens',
    description: 'Kubernetes audit webhook bearer tokens, JSON: {"<cluster>": "<token>"}',
  },
} as const;

export type SecretKey = keyof typeof SECRETS;

export interface OperatorSecret {
  secret: secretsmanager.ISecret;
  /** `<stack name>/<short name>`: what to pass to `aws secretsmanager put-secret-value --secret-id`. */
  name: string;
}

/**
 * Secrets Manager entries created EMPTY: the template carries neither a value nor a generated one.
 * The operator sets each with `aws secretsmanager put-secret-value --secret-id <name> --secret-string ...`;
 * until then the functions that need one fail closed.
 */
export class ShipwatchSecrets extends Construct {
  readonly secrets: Record<SecretKey, OperatorSecret>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const prefix = Stack.of(this).stackName;

    const entries = (Object.keys(SECRETS) as SecretKey[]).map((key): [SecretKey, OperatorSecret] => {
      const name = `${prefix}/${SECRETS[key].name}`;
      // L1 on purpose: the L2 Secret adds GenerateSecretString when it is given no value.
      const resource = new secretsmanager.CfnSecret(this, key, { name, description: SECRETS[key].description });
      // Deleting the stack schedules the secret for deletion (30-day recovery window), so
      // credentials do not outlive the deployment that used them.
      resource.applyRemovalPolicy(RemovalPolicy.DESTROY);
      Validations.of(resource).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Operator-provided credential (webhook secret, registry notification or audit webhook token, GitHub/GitLab token or app key, Slack URL/token). ' +
          'It is issued by the third party and must be rotated there first, so a Secrets Manager rotation ' +
          'Lambda cannot rotate it; rotation is an operator runbook step.',
      });
      const secret = secretsmanager.Secret.fromSecretAttributes(this, `${key}Ref`, { secretCompleteArn: resource.ref });
      return [key, { secret, name }];
    });
    this.secrets = Object.fromEntries(entries) as Record<SecretKey, OperatorSecret>;
  }
}
