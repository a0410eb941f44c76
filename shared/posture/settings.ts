// The posture scan's settings, from the environment the CDK stack (or a developer) sets.
import * as z from 'zod';
import type { ShipwatchConfig } from '../config/config.ts';
import type { PostureAccount } from './scan.ts';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const region = z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'a region such as eu-west-1');
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN');

export const postureAccountsSchema = z.array(
  z.strictObject({
    accountId: accountId.optional(),
    regions: z.array(region).min(1, 'list at least one region'),
    roleArn: roleArn.optional(),
  }),
);

export interface PostureSettings {
  accounts: PostureAccount[];
  auditSinkArns: string[];
  /** Rule settings for live findings (EKS-006's oldest supported version). */
  config: ShipwatchConfig;
}

export class PostureSettingsError extends Error {}

/**
 * `SHIPWATCH_POSTURE_ACCOUNTS`: JSON list of `{accountId?, regions, roleArn?}` (default: this
 * account in `AWS_REGION`); `SHIPWATCH_AUDIT_SINK_ARNS`: comma-separated ARNs that count as the
 * audit sink; `SHIPWATCH_EKS_OLDEST_SUPPORTED_VERSION`: EKS-006's threshold.
 */
export function postureSettingsFromEnv(env: NodeJS.ProcessEnv): PostureSettings {
  let accounts: PostureAccount[];
  const raw = env.SHIPWATCH_POSTURE_ACCOUNTS?.trim();
  if (raw) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new PostureSettingsError('SHIPWATCH_POSTURE_ACCOUNTS is not valid JSON');
    }
    const parsed = postureAccountsSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PostureSettingsError(`SHIPWATCH_POSTURE_ACCOUNTS${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ${issue.message}`);
    }
    accounts = parsed.data;
  } else {
    const here = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!here) throw new PostureSettingsError('set SHIPWATCH_POSTURE_ACCOUNTS or AWS_REGION');
    accounts = [{ regions: [here] }];
  }
  const auditSinkArns = (env.SHIPWATCH_AUDIT_SINK_ARNS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const oldest = env.SHIPWATCH_EKS_OLDEST_SUPPORTED_VERSION?.trim();
  return { accounts, auditSinkArns, config: oldest ? { ruleOptions: { 'EKS-006': { oldestSupportedVersion: oldest } } } : {} };
}
