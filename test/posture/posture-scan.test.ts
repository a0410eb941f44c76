import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, PutImageTagMutabilityCommand, PutRegistryScanningConfigurationCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateNodegroupCommand, DeleteClusterCommand, EKSClient, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsPostureSource } from '../../shared/posture/aws.ts';
import { DynamoInventoryStore } from '../../shared/posture/inventory-dynamodb.ts';
import { postureScope, runPostureScan, type PostureAccount } from '../../shared/posture/scan.ts';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { createFindingsTable, DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { useMoto } from '../support/aws.ts';
import { createAuditSinkFunction } from './moto-resources.ts';

// A region no other test file uses: the scan lists everything in it.
const REGION = 'ap-southeast-2';
const ACCOUNT = '123456789012';
const MEMBER = '111122223333';
const ALL_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
const id = randomUUID().slice(0, 8);

let endpoint: string;
let store: DynamoFindingStore;
let inventory: DynamoInventoryStore;
let eks: EKSClient;
let ecr: ECRClient;
let clock = Date.parse('2026-11-01T06:00:00Z');
const here: PostureAccount[] = [{ regions: [REGION] }];

beforeAll(async () => {
  endpoint = useMoto();
  const tableName = `posture-${id}`;
  await createFindingsTable(new DynamoDBClient({}), tableName);
  store = new DynamoFindingStore({ tableName });
  inventory = new DynamoInventoryStore({ tableName });
  eks = new EKSClient({ region: REGION });
  ecr = new ECRClient({ region: REGION });
});

function scan(accounts: PostureAccount[] = here, auditSinkArns: string[] = []) {
  clock += 24 * 3600_000;
  const now = new Date(clock);
  return runPostureScan(accounts, { source: new AwsPostureSource({ auditSinkArns }), store, inventory, now: () => now });
}

async function openFindings(account = ACCOUNT): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({ cluster: postureScope(account, REGION).cluster, source: 'posture' }, { cursor, limit: 200 });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

const rulesOn = (findings: StoredFinding[], name: string) =>
  findings
    .filter((f) => f.resource?.name === name)
    .map((f) => f.ruleId)
    .sort();

const createCluster = (name: string, extra: Partial<ConstructorParameters<typeof CreateClusterCommand>[0]> = {}) =>
  eks.send(new CreateClusterCommand({ name, roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`, resourcesVpcConfig: { subnetIds: ['subnet-1'] }, ...extra }));

describe('posture-scan against moto', () => {
  const cluster = `exposed-${id}`;
  const repository = `app-${id}`;

  it('a public EKS cluster without logging and a mutable ECR repository produce findings and an inventory item', async () => {
    await createCluster(cluster, { version: '1.33' });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository, imageTagMutability: 'MUTABLE' }));
    const [outcome] = await scan();
    expect(outcome).toMatchObject({ account: ACCOUNT, region: REGION, problems: [] });
    expect(outcome.error).toBeUndefined();

    const open = await openFindings();
    expect(rulesOn(open, cluster)).toEqual(['EKS-001', 'EKS-002', 'EKS-003', 'EKS-004', 'EKS-007']);
    expect(rulesOn(open, repository)).toEqual(['ECR-001', 'ECR-002', 'ECR-004']);
    const publicEndpoint = open.find((f) => f.ruleId === 'EKS-001')!;
    expect(publicEndpoint).toMatchObject({
      source: 'posture',
      status: 'open',
      location: null,
      resource: { kind: 'AWS::EKS::Cluster', namespace: `${ACCOUNT}/${REGION}`, name: cluster },
      url: `https://${REGION}.console.aws.amazon.com/eks/home?region=${REGION}#/clusters/${cluster}`,
    });
    expect(open.find((f) => f.ruleId === 'EKS-007')!.message).toContain('audit log type is off');

    const [item] = await inventory.list({ account: ACCOUNT, region: REGION }).then((all) => all.filter((c) => c.name === cluster));
    expect(item).toMatchObject({
      account: ACCOUNT,
      region: REGION,
      arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${cluster}`,
      version: '1.33',
      endpointPublicAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
      logging: [],
      auditLogEnabled: false,
      auditSinkSubscribed: false,
      connected: false,
      findings: { critical: 1, high: 2, medium: 2, low: 0, info: 0 },
      lastSeen: new Date(clock).toISOString(),
    });
  });

  it('fixing the configuration (UpdateClusterConfig, PutImageTagMutability) resolves the findings on the next run', async () => {
    const before = await openFindings();
    await eks.send(
      new UpdateClusterConfigCommand({
        name: cluster,
        resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false, endpointPrivateAccess: true },
        logging: { clusterLogging: [{ types: [...ALL_LOG_TYPES], enabled: true }] },
      }),
    );
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: repository, imageTagMutability: 'IMMUTABLE' }));
    const [outcome] = await scan();
    expect(outcome.resolved).toBeGreaterThanOrEqual(4);

    for (const ruleId of ['EKS-001', 'EKS-002', 'EKS-004', 'ECR-001']) {
      const fixed = before.find((f) => f.ruleId === ruleId && (f.resource?.name === cluster || f.resource?.name === repository))!;
      const now = await store.get(fixed.fingerprint);
      expect(now?.status, ruleId).toBe('resolved');
      expect((await store.history(fixed.fingerprint)).map((h) => h.event)).toEqual(['opened', 'resolved']);
    }
    const open = await openFindings();
    // Audit logging is on now, but nothing delivers it to Shipwatch yet.
    expect(rulesOn(open, cluster)).toEqual(['EKS-003', 'EKS-007']);
    expect(open.find((f) => f.ruleId === 'EKS-007' && f.resource?.name === cluster)!.message).toContain(`/aws/eks/${cluster}/cluster`);
    expect(rulesOn(open, repository)).toEqual(['ECR-002', 'ECR-004']);

    const [item] = (await inventory.list()).filter((c) => c.name === cluster);
    expect(item).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true, logging: [...ALL_LOG_TYPES], auditLogEnabled: true, connected: false });
  });

  it('a cluster whose audit log is subscribed to the audit sink is connected (any alias of the sink function counts)', async () => {
    const name = `connected-${id}`;
    const sinkArn = await createAuditSinkFunction(endpoint, REGION, `audit-sink-${id}`);
    await createCluster(name, {
      version: '1.33',
      resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false, endpointPrivateAccess: true },
      logging: { clusterLogging: [{ types: [...ALL_LOG_TYPES], enabled: true }] },
    });
    const logs = new CloudWatchLogsClient({ region: REGION });
    await logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/eks/${name}/cluster` }));
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: `/aws/eks/${name}/cluster`, filterName: 'shipwatch', filterPattern: '', destinationArn: sinkArn }));

    await scan(here, [`${sinkArn}:live`]);
    const [item] = (await inventory.list({ connected: true })).filter((c) => c.name === name);
    expect(item).toMatchObject({ auditLogEnabled: true, auditSinkSubscribed: true, connected: true });
    expect(rulesOn(await openFindings(), name)).toEqual(['EKS-003']);
    // Without the sink configured, the same cluster counts as not connected.
    await scan(here, []);
    expect(rulesOn(await openFindings(), name)).toEqual(['EKS-003', 'EKS-007']);
  });

  it('node groups with open SSH and public repository policies are findings too', async () => {
    const name = `nodes-${id}`;
    await createCluster(name, { version: '1.33' });
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: name,
        nodegroupName: 'workers',
        nodeRole: `arn:aws:iam::${ACCOUNT}:role/node`,
        subnets: ['subnet-1'],
        remoteAccess: { ec2SshKey: 'ops' },
      }),
    );
    const repo = `public-${id}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } }));
    await ecr.send(
      new SetRepositoryPolicyCommand({
        repositoryName: repo,
        policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }] }),
      }),
    );
    await scan();
    const open = await openFindings();
    expect(rulesOn(open, `${name}/workers`)).toEqual(['EKS-005']);
    expect(rulesOn(open, repo)).toEqual(['ECR-003', 'ECR-004']);
    const [item] = (await inventory.list()).filter((c) => c.name === name);
    expect(item.nodegroups).toBe(1);
    expect(item.findings.high).toBeGreaterThanOrEqual(2); // EKS-001 and EKS-005 (its node group)
  });

  it('registry-level enhanced scanning satisfies ECR-002 for the repositories it covers', async () => {
    await ecr.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: 'ENHANCED',
        rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: `app-${id}*`, filterType: 'WILDCARD' }] }],
      }),
    );
    await scan();
    const open = await openFindings();
    expect(rulesOn(open, repository)).toEqual(['ECR-004']);
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [] }));
  });

  it('a deleted cluster leaves the inventory and its findings resolve', async () => {
    const name = `doomed-${id}`;
    await createCluster(name, { version: '1.33' });
    await scan();
    expect((await inventory.list()).some((c) => c.name === name)).toBe(true);
    expect(rulesOn(await openFindings(), name).length).toBeGreaterThan(0);
    await eks.send(new DeleteClusterCommand({ name }));
    await scan();
    expect((await inventory.list()).some((c) => c.name === name)).toBe(false);
    expect(rulesOn(await openFindings(), name)).toEqual([]);
  });

  it('assumes the read-only role of a member account and scans it under its own scope', async () => {
    const roleArn = `arn:aws:iam::${MEMBER}:role/ShipwatchPostureReadOnly`;
    const c = (await new STSClient({ region: REGION }).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test-setup' }))).Credentials!;
    const member = new EKSClient({ region: REGION, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
    const name = `member-${id}`;
    await member.send(new CreateClusterCommand({ name, roleArn: `arn:aws:iam::${MEMBER}:role/eks`, resourcesVpcConfig: { subnetIds: ['subnet-1'] } }));

    const [outcome] = await scan([{ accountId: MEMBER, regions: [REGION], roleArn }]);
    expect(outcome).toMatchObject({ account: MEMBER, region: REGION });
    const [item] = await inventory.list({ account: MEMBER });
    expect(item).toMatchObject({ account: MEMBER, name, arn: `arn:aws:eks:${REGION}:${MEMBER}:cluster/${name}`, connected: false });
    const memberFindings = await openFindings(MEMBER);
    // moto's default version (1.19) is long out of support.
    expect(rulesOn(memberFindings, name)).toEqual(['EKS-001', 'EKS-002', 'EKS-003', 'EKS-004', 'EKS-006', 'EKS-007']);
    // The central account's clusters are not in the member's scope.
    expect(memberFindings.every((f) => f.resource?.namespace === `${MEMBER}/${REGION}`)).toBe(true);
  });

  it('the posture-scan Lambda handler scans the configured accounts from its environment', async () => {
    Object.assign(process.env, { SHIPWATCH_TABLE_NAME: `posture-${id}`, SHIPWATCH_POSTURE_ACCOUNTS: JSON.stringify([{ regions: [REGION] }]), POWERTOOLS_METRICS_NAMESPACE: 'ShipwatchTest' });
    const { handler } = await import('../../functions/posture-scan/handler.ts');
    const context = { functionName: 'posture-scan', awsRequestId: 'req', invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:posture-scan`, getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    const result = await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events' } as ScheduledEvent, context);
    expect(result).toMatchObject({ regions: 1 });
    expect((result as { findings: number }).findings).toBeGreaterThan(0);
  });
});
