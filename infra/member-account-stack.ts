import { Aws, CfnOutput, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The role name the central posture scan is configured with (`postureAccounts[].roleArn`). */
export const POSTURE_ROLE_NAME = 'ShipwatchPostureReadOnly';

export interface MemberAccountStackProps extends StackProps {
  /** The account that runs Shipwatch (its posture-scan function assumes the role). */
  centralAccountId: string;
  /** Narrows the trust to these principals of the central account (e.g. the posture-scan function's role ARN). */
  scannerPrincipalArns?: string[];
}

/**
 * Deployed once in every member account the posture scan should read: a read-only role the
 * central account may assume, allowed to list and describe EKS clusters and node groups, ECR
 * repositories, their policies and registry scanning, and the subscription filters of the EKS
 * control-plane log groups. Nothing else: no data, no writes.
 *
 *   npx cdk deploy ShipwatchMemberAccount -c memberAccount=true -c centralAccountId=111122223333
 */
export class MemberAccountStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps) {
    super(scope, id, props);
    if (!/^\d{12}$/.test(props.centralAccountId)) throw new Error(`context "centralAccountId" must be a 12-digit account id, got ${JSON.stringify(props.centralAccountId)}`);
    Tags.of(this).add('project', 'shipwatch');

    const principals = props.scannerPrincipalArns ?? [];
    this.role = new iam.Role(this, 'PostureReadOnly', {
      roleName: POSTURE_ROLE_NAME,
      description: 'Shipwatch posture scan: read-only access to EKS and ECR configuration, assumed from the central Shipwatch account',
      // The central account decides which of its principals may assume this role (the posture-scan
      // function's policy names it); the optional condition narrows it further from this side.
      assumedBy: new iam.AccountPrincipal(props.centralAccountId).withConditions(principals.length > 0 ? { ArnLike: { 'aws:PrincipalArn': principals } } : {}),
    });

    // Tokens, not the stack's resolved values: the cdk-nag acknowledgements below name these exact strings.
    const { ACCOUNT_ID: account, PARTITION: partition } = Aws;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ListWithoutResourceScope', actions: ['eks:ListClusters', 'ecr:DescribeRepositories', 'ecr:GetRegistryScanningConfiguration'], resources: ['*'] }),
    );
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Clusters', actions: ['eks:DescribeCluster', 'eks:ListNodegroups'], resources: [`arn:${partition}:eks:*:${account}:cluster/*`] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Nodegroups', actions: ['eks:DescribeNodegroup'], resources: [`arn:${partition}:eks:*:${account}:nodegroup/*`] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RepositoryPolicies', actions: ['ecr:GetRepositoryPolicy'], resources: [`arn:${partition}:ecr:*:${account}:repository/*`] }));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'AuditLogSubscriptions', actions: ['logs:DescribeSubscriptionFilters'], resources: [`arn:${partition}:logs:*:${account}:log-group:/aws/eks/*`] }),
    );
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'eks:ListClusters, ecr:DescribeRepositories (listing every repository) and ecr:GetRegistryScanningConfiguration ' +
          '(a registry-level setting) have no resource-level permissions: AWS requires Resource "*". All three only read configuration.',
      },
      { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:cluster/*]', reason: 'Every EKS cluster of the account is described; names come from ListClusters.' },
      { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:nodegroup/*]', reason: 'Every managed node group of those clusters is described.' },
      { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:*:<AWS::AccountId>:repository/*]', reason: 'The policy of every ECR repository of the account is read.' },
      { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/aws/eks/*]', reason: 'Only the EKS control-plane log groups are read, and only their subscription filters.' },
    );

    new CfnOutput(this, 'PostureRoleArn', { value: this.role.roleArn, description: 'Add to the central stack: -c postureAccounts=\'[{"accountId":"<this account>","regions":[...],"roleArn":"<this ARN>"}]\'' });
  }
}

/** Reads the member stack's context: `centralAccountId` (required) and `postureScannerPrincipalArns` (optional, comma separated or a list). */
export function memberAccountProps(tryGetContext: (key: string) => unknown): Pick<MemberAccountStackProps, 'centralAccountId' | 'scannerPrincipalArns'> {
  const central = tryGetContext('centralAccountId');
  if (central === undefined || central === null || central === '') throw new Error('context "centralAccountId" is required with memberAccount=true: the account that runs Shipwatch');
  const raw = tryGetContext('postureScannerPrincipalArns');
  const arns = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : String(raw).split(',');
  if (arns.some((a) => typeof a !== 'string' || !/^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:/.test(a.trim()))) {
    throw new Error(`context "postureScannerPrincipalArns" must be IAM ARNs in the central account, got ${JSON.stringify(raw)}`);
  }
  return { centralAccountId: String(central).trim(), scannerPrincipalArns: arns.map((a: string) => a.trim()) };
}
