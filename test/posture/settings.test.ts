import { describe, expect, it } from 'vitest';
import { postureSettingsFromEnv, PostureSettingsError } from '../../shared/posture/settings.ts';

describe('posture settings from the environment', () => {
  it('defaults to this account in AWS_REGION', () => {
    expect(postureSettingsFromEnv({ AWS_REGION: 'eu-west-1' })).toEqual({ accounts: [{ regions: ['eu-west-1'] }], auditSinkArns: [], config: {} });
  });

  it('reads accounts, audit sink ARNs and the oldest supported EKS version', () => {
    const settings = postureSettingsFromEnv({
      SHIPWATCH_POSTURE_ACCOUNTS: JSON.stringify([
        { accountId: '111122223333', regions: ['eu-west-1', 'us-east-1'], roleArn: 'arn:aws:iam::111122223333:role/ShipwatchPostureReadOnly' },
        { regions: ['eu-central-1'] },
      ]),
      SHIPWATCH_AUDIT_SINK_ARNS: 'arn:aws:lambda:eu-west-1:999999999999:function:audit-sink, arn:aws:logs:eu-west-1:999999999999:destination:shipwatch-audit',
      SHIPWATCH_EKS_OLDEST_SUPPORTED_VERSION: '1.33',
    });
    expect(settings.accounts).toHaveLength(2);
    expect(settings.auditSinkArns).toEqual(['arn:aws:lambda:eu-west-1:999999999999:function:audit-sink', 'arn:aws:logs:eu-west-1:999999999999:destination:shipwatch-audit']);
    expect(settings.config).toEqual({ ruleOptions: { 'EKS-006': { oldestSupportedVersion: '1.33' } } });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[{"regions": []}]', /\[0\]\["regions"\]: list at least one region/],
    ['[{"regions": ["eu-west-1"], "accountId": "123"}]', /accountId.*12 digits/],
    ['[{"regions": ["Europe"]}]', /region such as/],
    ['[{"regions": ["eu-west-1"], "roleArn": "arn:aws:iam::111122223333:user/bob"}]', /IAM role ARN/],
    ['[{"regions": ["eu-west-1"], "role": "x"}]', /Unrecognized key/i],
  ])('rejects SHIPWATCH_POSTURE_ACCOUNTS=%s naming the problem', (value, message) => {
    expect(() => postureSettingsFromEnv({ SHIPWATCH_POSTURE_ACCOUNTS: value })).toThrow(PostureSettingsError);
    expect(() => postureSettingsFromEnv({ SHIPWATCH_POSTURE_ACCOUNTS: value })).toThrow(message);
  });

  it('needs a region from somewhere', () => {
    expect(() => postureSettingsFromEnv({})).toThrow(/AWS_REGION/);
  });
});
