// The PostureSource that reads the AWS API: EKS clusters and node groups, the clusters' log
// subscriptions, ECR repositories, their policies and the registry scanning configuration. In a
// member account it first assumes the read-only role (STS AssumeRole), otherwise it uses the
// function's own credentials.
import { CloudWatchLogsClient, DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRepositoriesCommand, ECRClient, GetRegistryScanningConfigurationCommand, GetRepositoryPolicyCommand, type Repository } from '@aws-sdk/client-ecr';
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, ListClustersCommand, ListNodegroupsCommand, type Nodegroup } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clusterLogGroup, type LiveCluster, type LiveRepository, type RegionSnapshot } from './live.ts';
import type { PostureSource, PostureTarget } from './scan.ts';

/** Describe calls in flight at once per region (EKS and ECR throttle around 10-20 requests per second). */
const CONCURRENCY = 5;
const SESSION_NAME = 'shipwatch-posture';
/** The shortest session STS grants: a region scan takes seconds. */
const SESSION_SECONDS = 900;

/** Temporary credentials of an assumed role, as the SDK clients take them. */
interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsPostureSourceOptions {
  /** ARNs that count as the audit sink: the audit-sink function (any alias or version) or a CloudWatch Logs destination in front of it. */
  auditSinkArns: readonly string[];
  /** STS in the function's own region (assumes roles, tells who we are). */
  sts?: STSClient;
}

export class AwsPostureSource implements PostureSource {
  private readonly sts: STSClient;
  private readonly isAuditSink: (arn: string | undefined) => boolean;

  constructor(options: AwsPostureSourceOptions) {
    this.sts = options.sts ?? new STSClient({});
    const sinks = new Set(options.auditSinkArns.map(unqualified));
    this.isAuditSink = (arn) => arn !== undefined && sinks.has(unqualified(arn));
  }

  async read(target: PostureTarget): Promise<RegionSnapshot> {
    const credentials = target.roleArn ? await this.assume(target.roleArn) : undefined;
    const config = { region: target.region, ...(credentials ? { credentials } : {}) };
    const account = target.accountId ?? (await new STSClient(config).send(new GetCallerIdentityCommand({}))).Account;
    if (!account) throw new Error('STS did not return the account id');
    const eks = new EKSClient(config);
    const ecr = new ECRClient(config);
    const logs = new CloudWatchLogsClient(config);
    const [clusters, repositories, registryScanning] = await Promise.all([
      this.clusters(eks, logs),
      this.repositories(ecr),
      ecr.send(new GetRegistryScanningConfigurationCommand({})).then((out) => out.scanningConfiguration ?? null),
    ]);
    return { account, region: target.region, clusters, repositories, registryScanning };
  }

  private async assume(roleArn: string): Promise<RoleCredentials> {
    const out = await this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME, DurationSeconds: SESSION_SECONDS }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`assuming ${roleArn} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }

  private async clusters(eks: EKSClient, logs: CloudWatchLogsClient): Promise<LiveCluster[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await eks.send(new ListClustersCommand({ nextToken }));
      names.push(...(page.clusters ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return mapLimit(names, CONCURRENCY, async (name) => {
      const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
      if (!cluster) throw new Error(`DescribeCluster returned nothing for ${name}`);
      const [nodegroups, auditSinkSubscribed] = await Promise.all([this.nodegroups(eks, name), this.subscribed(logs, clusterLogGroup(name))]);
      return { cluster, nodegroups, auditSinkSubscribed };
    });
  }

  private async nodegroups(eks: EKSClient, clusterName: string): Promise<Nodegroup[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await eks.send(new ListNodegroupsCommand({ clusterName, nextToken }));
      names.push(...(page.nodegroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const groups = await mapLimit(names, CONCURRENCY, async (nodegroupName) => (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup);
    return groups.filter((g): g is Nodegroup => g !== undefined);
  }

  /** Whether a subscription filter on the log group delivers to the audit sink; a missing log group means no. */
  private async subscribed(logs: CloudWatchLogsClient, logGroupName: string): Promise<boolean> {
    try {
      let nextToken: string | undefined;
      do {
        const page = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, nextToken }));
        if ((page.subscriptionFilters ?? []).some((f) => this.isAuditSink(f.destinationArn))) return true;
        nextToken = page.nextToken;
      } while (nextToken);
      return false;
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') return false;
      throw e;
    }
  }

  private async repositories(ecr: ECRClient): Promise<LiveRepository[]> {
    const repositories: Repository[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ecr.send(new DescribeRepositoriesCommand({ nextToken }));
      repositories.push(...(page.repositories ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return mapLimit(repositories, CONCURRENCY, async (repository) => {
      try {
        const out = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: repository.repositoryName, registryId: repository.registryId }));
        return { repository, policyText: out.policyText ?? null };
      } catch (e) {
        if ((e as { name?: string }).name === 'RepositoryPolicyNotFoundException') return { repository, policyText: null };
        throw e;
      }
    });
  }
}

/** A Lambda function ARN without its alias or version qualifier; other ARNs unchanged. */
function unqualified(arn: string): string {
  const m = /^(arn:[^:]+:lambda:[^:]+:\d+:function:[^:]+):[^:]+$/.exec(arn.trim());
  return m ? m[1] : arn.trim();
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}
