/**
 * The Shipwatch CDK app (`npx cdk synth`, `npx cdk deploy`; cdk.json runs this file with tsx).
 *
 * Context values (`-c key=value` on the command line, or "context" in cdk.json):
 *   notifyMinSeverity  lowest finding severity notify alerts on: critical|high|medium|low|info (default high)
 *   notifyDigestAbove  more new findings than this in one batch go out as one digest message (default 10)
 *   githubApiUrl       GitHub REST base URL, e.g. for GitHub Enterprise Server (default https://api.github.com)
 *   gitlabUrl          GitLab base URL for self-managed GitLab (default https://gitlab.com)
 *   alarmEmail         optional address subscribed by email to the alerts topic (confirm the first mail)
 *
 * The stack is environment-agnostic unless the CLI knows an account/region (CDK_DEFAULT_*), so
 * `cdk synth` works offline without AWS credentials.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ShipwatchStack } from './shipwatch-stack.ts';

const app = new App();

new ShipwatchStack(app, 'Shipwatch', {
  description: 'Shipwatch: Kubernetes security scanning for GitHub/GitLab (webhooks, scans, findings, alerts)',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// cdk-nag v3 runs as a validation plugin at synth: an unacknowledged error fails the synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
