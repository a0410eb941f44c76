import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { FindingsTable } from './findings-table.ts';
import { ShipwatchFunction } from './shipwatch-function.ts';

/** What the posture scan reads: EKS clusters and node groups, ECR repositories, policies and registry scanning, log subscriptions. */
export const POSTURE_READ_ACTIONS = {
  /** These list or read account-level settings and have no resource-level permissions: Resource "*". */
  unscoped: ['eks:ListClusters', 'ecr:DescribeRepositories', 'ecr:GetRegistryScanningConfiguration'],
  cluster: ['eks:DescribeCluster', 'eks:ListNodegroups'],
  nodegroup: ['eks:DescribeNodegroup'],
  repository: ['ecr:GetRepositoryPolicy'],
  logGroup: ['logs:DescribeSubscriptionFilters'],
} as const;

export interface PostureAccountContext {
  accountId: string;
  regions: string[];
  roleArn?: string;
}

export interface PostureScanProps {
  findings: FindingsTable;
  /** The audit-sink function, when the stack has one: a cluster whose audit log is subscribed to it counts as connected. */
  auditSink?: lambda.IFunction;
}

/**
 * posture-scan: on a schedule (context `postureSchedule`, default daily) it reads EKS and ECR in the
 * accounts and regions of context `postureAccounts` (default: its own account and region),
 * assuming each account's read-only role when one is given, and writes posture findings and the
 * cluster inventory. Context `postureAuditSinkArns` adds ARNs that count as the audit sink (a
 * CloudWatch Logs destination in front of it); `eksOldestSupportedVersion` sets EKS-006's threshold.
 */
export class PostureScan extends Construct {
  readonly function: ShipwatchFunction;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: PostureScanProps) {
    super(scope, id);
    const accounts = postureAccounts(this.node.tryGetContext('postureAccounts'));
    const schedule = scheduleExpression(this.node.tryGetContext('postureSchedule'));
    const sinkArns = arnList('postureAuditSinkArns', this.node.tryGetContext('postureAuditSinkArns'));
    const oldest = version('eksOldestSupportedVersion', this.node.tryGetContext('eksOldestSupportedVersion'));

    const environment: Record<string, string> = { SHIPWATCH_TABLE_NAME: props.findings.table.tableName };
    if (accounts.length > 0) environment.SHIPWATCH_POSTURE_ACCOUNTS = JSON.stringify(accounts);
    const sinks = [...(props.auditSink ? [props.auditSink.functionArn] : []), ...sinkArns];
    if (sinks.length > 0) environment.SHIPWATCH_AUDIT_SINK_ARNS = sinks.join(',');
    if (oldest) environment.SHIPWATCH_EKS_OLDEST_SUPPORTED_VERSION = oldest;

    this.function = new ShipwatchFunction(this, 'PostureScan', {
      name: 'posture-scan',
      description: 'Reads EKS and ECR configuration in the configured accounts and regions, writes posture findings and the cluster inventory',
      memorySize: 512,
      // Many accounts times regions, each a handful of list and describe calls.
      timeout: Duration.minutes(10),
      environment,
    });
    props.findings.grantReadWriteData(this.function.role);

    // Tokens, not the stack's resolved values: the cdk-nag acknowledgements below name these exact strings.
    const { ACCOUNT_ID: account, PARTITION: partition } = Aws;
    const role = this.function.role;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...POSTURE_READ_ACTIONS.unscoped], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...POSTURE_READ_ACTIONS.cluster], resources: [`arn:${partition}:eks:*:${account}:cluster/*`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...POSTURE_READ_ACTIONS.nodegroup], resources: [`arn:${partition}:eks:*:${account}:nodegroup/*`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...POSTURE_READ_ACTIONS.repository], resources: [`arn:${partition}:ecr:*:${account}:repository/*`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...POSTURE_READ_ACTIONS.logGroup], resources: [`arn:${partition}:logs:*:${account}:log-group:/aws/eks/*`] }));
    const roleArns = accounts.flatMap((a) => (a.roleArn ? [a.roleArn] : []));
    if (roleArns.length > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...new Set(roleArns)] }));
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Read-only posture scan: eks:ListClusters, ecr:DescribeRepositories (listing every repository) and ' +
          'ecr:GetRegistryScanningConfiguration (a registry-level setting) have no resource-level permissions, so AWS ' +
          'requires Resource "*"; X-Ray tracing likewise. test/posture checks that "*" statements carry only these actions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:cluster/*]`,
        reason: 'The scan describes every EKS cluster of this account in every configured region; cluster names are discovered by ListClusters.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:nodegroup/*]`,
        reason: 'The scan describes every managed node group of the clusters it found.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:*:<AWS::AccountId>:repository/*]`,
        reason: 'The scan reads the policy of every ECR repository of this account in the configured regions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/eks/*]`,
        reason: 'The scan checks the subscription filters of the EKS control-plane log groups (/aws/eks/<cluster>/cluster) only.',
      },
    );

    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'Runs the EKS/ECR posture scan',
      schedule: events.Schedule.expression(schedule),
      targets: [new targets.LambdaFunction(this.function.function, { retryAttempts: 2 })],
    });
  }
}

function scheduleExpression(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'rate(1 day)';
  if (typeof value !== 'string' || !/^(?:rate\(\d+ (?:minute|minutes|hour|hours|day|days)\)|cron\([^)]+\))$/.test(value.trim())) {
    throw new Error(`context "postureSchedule" must be an EventBridge schedule such as "rate(1 day)" or "cron(0 6 * * ? *)", got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

/** `-c postureAccounts='[...]'` gives JSON text, cdk.json a list. */
export function postureAccounts(value: unknown): PostureAccountContext[] {
  if (value === undefined || value === null || value === '') return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new Error('context "postureAccounts" must be a JSON list of {accountId, regions, roleArn?}');
    }
  }
  if (!Array.isArray(list)) throw new Error('context "postureAccounts" must be a list of {accountId, regions, roleArn?}');
  return list.map((entry, i) => {
    const where = `context "postureAccounts"[${i}]`;
    const e = entry as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new Error(`${where} must be an object {accountId, regions, roleArn?}`);
    const unknown = Object.keys(e).filter((k) => !['accountId', 'regions', 'roleArn'].includes(k));
    if (unknown.length) throw new Error(`${where} has unknown keys: ${unknown.join(', ')}`);
    if (typeof e.accountId !== 'string' || !/^\d{12}$/.test(e.accountId)) throw new Error(`${where}.accountId must be a 12-digit account id`);
    if (!Array.isArray(e.regions) || e.regions.length === 0 || e.regions.some((r) => typeof r !== 'string' || !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(r))) {
      throw new Error(`${where}.regions must be a non-empty list of regions such as "eu-west-1"`);
    }
    if (e.roleArn !== undefined && (typeof e.roleArn !== 'string' || !new RegExp(`^arn:aws[a-z-]*:iam::${e.accountId}:role/[\\w+=,.@/-]+$`).test(e.roleArn))) {
      throw new Error(`${where}.roleArn must be an IAM role ARN in account ${e.accountId}`);
    }
    return { accountId: e.accountId, regions: e.regions as string[], ...(e.roleArn ? { roleArn: e.roleArn as string } : {}) };
  });
}

function arnList(key: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!items || items.some((v) => typeof v !== 'string' || !/^arn:aws[a-z-]*:[a-z0-9-]+:/.test(v.trim()))) throw new Error(`context "${key}" must be ARNs, comma separated or a list, got ${JSON.stringify(value)}`);
  return (items as string[]).map((v) => v.trim());
}

function version(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value);
  if (!/^\d+\.\d+$/.test(text)) throw new Error(`context "${key}" must be a Kubernetes version such as "1.32", got ${JSON.stringify(value)}`);
  return text;
}
