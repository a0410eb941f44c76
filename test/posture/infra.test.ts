import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindingsTable } from '../../infra/constructs/findings-table.ts';
import { POSTURE_READ_ACTIONS, PostureScan, postureAccounts } from '../../infra/constructs/posture-scan.ts';
import { MemberAccountStack, memberAccountProps, POSTURE_ROLE_NAME } from '../../infra/member-account-stack.ts';

// CloudFormation JSON is untyped; `any` below is read-only template data.
type Resource = { Type: string; Properties?: Record<string, any> };
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const MEMBER_ROLE = `arn:aws:iam::222233334444:role/${POSTURE_ROLE_NAME}`;
const UNSCOPED = new Set<string>([...POSTURE_READ_ACTIONS.unscoped, 'xray:PutTraceSegments', 'xray:PutTelemetryRecords']);

let outdir: string;
afterAll(() => outdir && rmSync(outdir, { recursive: true, force: true }));

function postureStack(context: Record<string, unknown>, env?: { account: string; region: string }) {
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'PostureTest', { env });
  const findings = new FindingsTable(stack, 'Findings');
  const posture = new PostureScan(stack, 'Posture', { findings });
  return { stack, posture, resources: Template.fromStack(stack).toJSON().Resources as Record<string, Resource> };
}

describe('posture-scan in the CDK app', () => {
  let synth: ReturnType<typeof postureStack>;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'shipwatch-posture-cdk-'));
    synth = postureStack({
      postureSchedule: 'cron(0 5 * * ? *)',
      postureAccounts: [{ accountId: '222233334444', regions: ['eu-west-1', 'us-east-1'], roleArn: MEMBER_ROLE }, { accountId: '111122223333', regions: ['eu-west-1'] }],
      postureAuditSinkArns: 'arn:aws:logs:eu-west-1:111122223333:destination:shipwatch-audit',
      eksOldestSupportedVersion: '1.33',
    });
  }, 300_000);

  const ofType = (type: string) => Object.entries(synth.resources).filter(([, r]) => r.Type === type);
  const statements = () => ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as any[]);

  it('is scheduled by EventBridge (context postureSchedule) with retries', () => {
    const [[fnId, fn]] = ofType('AWS::Lambda::Function');
    expect(fn.Properties?.Environment.Variables).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'shipwatch-posture-scan',
      SHIPWATCH_TABLE_NAME: { Ref: expect.any(String) },
      SHIPWATCH_POSTURE_ACCOUNTS: JSON.stringify([
        { accountId: '222233334444', regions: ['eu-west-1', 'us-east-1'], roleArn: MEMBER_ROLE },
        { accountId: '111122223333', regions: ['eu-west-1'] },
      ]),
      SHIPWATCH_AUDIT_SINK_ARNS: 'arn:aws:logs:eu-west-1:111122223333:destination:shipwatch-audit',
      SHIPWATCH_EKS_OLDEST_SUPPORTED_VERSION: '1.33',
    });
    const [[, rule]] = ofType('AWS::Events::Rule');
    expect(rule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 5 * * ? *)', State: 'ENABLED' });
    expect(rule.Properties?.Targets[0]).toMatchObject({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } });
  });

  it('reads EKS/ECR read-only, with Resource "*" only where AWS requires it, and assumes only the configured roles', () => {
    const all = statements();
    const actions = all.flatMap((s) => asList<string>(s.Action));
    for (const group of Object.values(POSTURE_READ_ACTIONS)) for (const action of group) expect(actions).toContain(action);
    expect(actions.filter((a) => /^(?:eks|ecr|logs):/.test(a) && !/^logs:(?:CreateLogStream|PutLogEvents)$/.test(a)).every((a) => /:(?:List|Describe|Get)/.test(a))).toBe(true);
    for (const s of all) {
      if (asList(s.Resource).includes('*')) for (const a of asList<string>(s.Action)) expect(UNSCOPED.has(a), a).toBe(true);
    }
    const assume = all.filter((s) => asList<string>(s.Action).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(asList(assume[0].Resource)).toEqual([MEMBER_ROLE]);
  });

  it('has no unacknowledged cdk-nag findings', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synth.stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('defaults to a daily run over its own account and region (and passes cdk-nag in an account-specific stack too)', () => {
    const { resources, stack } = postureStack({}, { account: '111122223333', region: 'eu-west-1' });
    expect(new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
    const rule = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule')!;
    expect(rule.Properties?.ScheduleExpression).toBe('rate(1 day)');
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function')!;
    expect(fn.Properties?.Environment.Variables).not.toHaveProperty('SHIPWATCH_POSTURE_ACCOUNTS');
    expect(Object.values(resources).flatMap((r) => (r.Type === 'AWS::IAM::Policy' ? (r.Properties?.PolicyDocument.Statement as any[]) : [])).some((s) => asList<string>(s.Action).includes('sts:AssumeRole'))).toBe(false);
  }, 300_000);

  it.each([
    [{ postureSchedule: 'daily' }, /postureSchedule/],
    [{ postureAccounts: '[{"accountId": "1", "regions": ["eu-west-1"]}]' }, /postureAccounts"\[0\]\.accountId/],
    [{ postureAccounts: [{ accountId: '222233334444', regions: [] }] }, /regions/],
    [{ postureAccounts: [{ accountId: '222233334444', regions: ['eu-west-1'], roleArn: 'arn:aws:iam::999999999999:role/x' }] }, /roleArn must be an IAM role ARN in account 222233334444/],
    [{ postureAccounts: [{ accountId: '222233334444', regions: ['eu-west-1'], role: 'x' }] }, /unknown keys: role/],
    [{ postureAccounts: 'not json' }, /JSON list/],
    [{ postureAuditSinkArns: 'audit-sink' }, /postureAuditSinkArns/],
    [{ eksOldestSupportedVersion: 'latest' }, /eksOldestSupportedVersion/],
  ])('rejects context %j naming the key', (context, message) => {
    expect(() => postureStack(context)).toThrow(message);
  });

  it('reads postureAccounts from -c (JSON text) and cdk.json (a list) alike', () => {
    const list = [{ accountId: '222233334444', regions: ['eu-west-1'], roleArn: MEMBER_ROLE }];
    expect(postureAccounts(JSON.stringify(list))).toEqual(list);
    expect(postureAccounts(list)).toEqual(list);
  });
});

describe('the member-account stack', () => {
  let resources: Record<string, Resource>;
  let stack: MemberAccountStack;
  beforeAll(() => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'shipwatch-member-cdk-')) });
    stack = new MemberAccountStack(app, 'ShipwatchMemberAccount', {
      env: { account: '222233334444', region: 'eu-west-1' },
      ...memberAccountProps((key) => ({ centralAccountId: '111122223333', postureScannerPrincipalArns: 'arn:aws:iam::111122223333:role/Shipwatch-PostureScan*' })[key]),
    });
    resources = Template.fromStack(stack).toJSON().Resources;
  });

  it('creates the read-only role, trusted by the central account (narrowed to the scanner)', () => {
    const roles = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    const role = roles[0].Properties!;
    expect(role.RoleName).toBe(POSTURE_ROLE_NAME);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
        Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/Shipwatch-PostureScan*'] } },
      },
    ]);
    const actions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((p) => (p.Properties?.PolicyDocument.Statement as any[]).flatMap((s) => asList<string>(s.Action)))
      .sort();
    expect(actions).toEqual([...Object.values(POSTURE_READ_ACTIONS).flat()].sort());
  });

  it('passes cdk-nag and cfn-lint', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    const file = join(mkdtempSync(join(tmpdir(), 'shipwatch-member-lint-')), 'member.json');
    writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    const result = spawnSync('cfn-lint', ['--', file], { encoding: 'utf8', timeout: 120_000 });
    if (result.error) throw new Error(`cfn-lint could not run: ${result.error.message}`);
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    rmSync(join(file, '..'), { recursive: true, force: true });
  }, 150_000);

  it('needs the central account id', () => {
    expect(() => memberAccountProps(() => undefined)).toThrow(/centralAccountId/);
    expect(() => new MemberAccountStack(new App(), 'M', { centralAccountId: 'central' })).toThrow(/12-digit/);
    expect(() => memberAccountProps((k) => (k === 'centralAccountId' ? '111122223333' : 'not-an-arn'))).toThrow(/postureScannerPrincipalArns/);
  });
});
