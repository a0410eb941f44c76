/**
 * The Shipwatch CDK app (`npx cdk synth`, `npx cdk deploy`; cdk.json runs this file with tsx).
 *
 * Context values (`-c key=value` on the command line, or "context" in cdk.json):
 *   notifyMinSeverity  lowest finding severity notify alerts on: critical|high|medium|low|info (default high)
 *   notifyDigestAbove  more new findings than this in one batch go out as one digest message (default 10)
 *   githubApiUrl       GitHub REST base URL, e.g. for GitHub Enterprise Server (default https://api.github.com)
 *   gitlabUrl          GitLab base URL for self-managed GitLab (default https://gitlab.com)
 *   alarmEmail         optional address subscribed by email to the alerts topic (confirm the first mail)
 *   auditClusters      EKS cluster names (comma separated) whose audit logs audit-sink subscribes to (docs/audit.md)
 *   auditConfigParameter  SSM parameter holding the .shipwatch.yaml that audit-sink reads
 *   imageRepositoryPrefix  optional: only ECR repositories starting with this are scanned on push
 *   imageRegistries    optional: more registries (host[:port], comma separated) the image scanner may pull from
 *   postureSchedule    EventBridge schedule of the EKS/ECR posture scan (default rate(1 day))
 *   postureAccounts    JSON list of {accountId, regions, roleArn?} the posture scan reads (default: its own account and region)
 *   postureAuditSinkArns  more ARNs (comma separated) that count as the audit sink, e.g. a CloudWatch Logs destination
 *   eksOldestSupportedVersion  EKS-006's oldest supported Kubernetes version (default in the rule)
 *   memberAccount=true  also define ShipwatchMemberAccount, the read-only role for a member account
 *                      (with centralAccountId and optionally postureScannerPrincipalArns; docs/posture.md)
 *
 * The stack is environment-agnostic unless the CLI knows an account/region (CDK_DEFAULT_*), so
 * `cdk synth` works offline without AWS credentials.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MemberAccountStack, memberAccountProps } from './member-account-stack.ts';
import { ShipwatchStack } from './shipwatch-stack.ts';

const app = new App();

new ShipwatchStack(app, 'Shipwatch', {
  description: 'Shipwatch: Kubernetes security scanning for GitHub/GitLab (webhooks, scans, findings, alerts)',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// Deployed into each member account (not the central one): `cdk deploy ShipwatchMemberAccount -c memberAccount=true -c centralAccountId=...`.
if (String(app.node.tryGetContext('memberAccount')) === 'true') {
  new MemberAccountStack(app, 'ShipwatchMemberAccount', {
    description: 'Shipwatch member account: read-only role for the central EKS/ECR posture scan',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    ...memberAccountProps((key) => app.node.tryGetContext(key)),
  });
}

// cdk-nag v3 runs as a validation plugin at synth: an unacknowledged error fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
