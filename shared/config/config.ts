import jsyaml from 'js-yaml';
import * as z from 'zod';
import { SEVERITIES, type Severity } from '../findings/finding.ts';

const severity = z.enum(SEVERITIES);
const ruleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'a rule id such as K8S-014');
/** YAML reads an unquoted 2027-03-31 as a date; accept both forms and keep the calendar date. */
const isoDate = z.union([z.date(), z.string()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) {
    ctx.addIssue({ code: 'custom', message: 'expected a date YYYY-MM-DD' });
    return z.NEVER;
  }
  return s;
});

export const ignoreEntrySchema = z.strictObject({
  rule: ruleId,
  paths: z.array(z.string()).optional(),
  reason: z.string().min(1, 'an ignore needs a reason'),
  expires: isoDate.optional(),
});

const stringList = z.array(z.string()).optional();
const matchValue = z.union([z.string(), z.array(z.string()).min(1)]).optional();

/** A user-defined audit exception: every given field must match the event (values are globs, `sourceIP` CIDRs, a list means any of). */
export const auditExceptionSchema = z.strictObject({
  detection: ruleId,
  /** Named in the suppressed finding (`suppressedBy`); defaults to `audit.exceptions[<index>]`. */
  name: z.string().min(1).optional(),
  match: z
    .strictObject({
      user: matchValue,
      group: matchValue,
      namespace: matchValue,
      name: matchValue,
      resource: matchValue,
      verb: matchValue,
      image: matchValue,
      userAgent: matchValue,
      sourceIP: matchValue,
      command: matchValue,
    })
    .refine((m) => Object.values(m).some((v) => v !== undefined), 'an exception needs at least one field to match'),
  reason: z.string().min(1),
});

const auditSchema = z.strictObject({
  platformNamespaces: z.array(z.string()).optional(),
  trustedImages: z.array(z.string()).optional(),
  controlPlaneIdentities: z.array(z.string()).optional(),
  trustedCidrs: z.array(z.string()).optional(),
  threatIps: z.array(z.string()).optional(),
  enable: z.array(ruleId).optional(),
  disable: z.array(ruleId).optional(),
  severity: z.record(ruleId, severity).optional(),
  thresholds: z.record(ruleId, z.strictObject({ count: z.number().int().positive(), windowSeconds: z.number().int().positive() })).optional(),
  exceptions: z.array(auditExceptionSchema).optional(),
  /** Detection routing overrides (default by severity: critical/high Slack + SNS, medium Slack, low stored only). */
  routing: z.record(ruleId, z.array(z.enum(['slack', 'sns']))).optional(),
  /** Identity lists that individual detections consult (exact usernames unless a `*` is written). */
  monitoringIdentities: stringList,
  gitopsIdentities: stringList,
  operatorIdentities: stringList,
  impersonatingProxies: stringList,
  secretListers: stringList,
  crossNamespaceSecretReaders: z.array(z.strictObject({ user: z.string().min(1), namespace: z.string().min(1) })).optional(),
  privilegedRoles: stringList,
  privilegedServiceAccounts: stringList,
  churnRoles: stringList,
  securityTooling: stringList,
  /** `key=value` pod selectors of admin UIs (kubernetes-dashboard, Kubeflow, Argo server). */
  adminUiSelectors: stringList,
  allowLists: z
    .strictObject({ users: stringList, namespaces: stringList, registries: stringList, nodes: stringList })
    .optional(),
  baseline: z.strictObject({ learningDays: z.number().positive().optional(), maxTuples: z.number().int().positive().optional() }).optional(),
  options: z.record(ruleId, z.record(z.string(), z.unknown())).optional(),
});

/** `.shipwatch.yaml`: one format for the CLI, PR scans and the deployed pipeline. Unknown keys are errors. */
export const configSchema = z.strictObject({
  failOn: z.enum([...SEVERITIES, 'none']).optional(),
  exclude: z.array(z.string()).optional(),
  ignore: z.array(ignoreEntrySchema).optional(),
  severity: z.record(ruleId, severity).optional(),
  disable: z.array(ruleId).optional(),
  enable: z.array(ruleId).optional(),
  trustedRegistries: z.array(z.string()).optional(),
  kubernetesVersion: z
    .union([z.string(), z.number()])
    .transform((v) => String(v))
    .refine((v) => /^\d+\.\d+$/.test(v), 'expected a version such as "1.31"')
    .optional(),
  maxFileSizeBytes: z.number().int().positive().optional(),
  /** Per-rule options, validated by the rule's own schema. */
  ruleOptions: z.record(ruleId, z.record(z.string(), z.unknown())).optional(),
  notify: z.strictObject({ minSeverity: severity.optional(), digestAbove: z.number().int().positive().optional() }).optional(),
  audit: auditSchema.optional(),
});

export type ShipwatchConfig = z.infer<typeof configSchema>;
export type IgnoreEntry = z.infer<typeof ignoreEntrySchema>;
export type FailOn = Severity | 'none';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Parses and validates a `.shipwatch.yaml` text; every problem names its key. */
export function parseConfig(text: string, file = '.shipwatch.yaml'): ShipwatchConfig {
  let raw: unknown;
  try {
    raw = jsyaml.load(text);
  } catch (e) {
    throw new ConfigError(file, `invalid YAML: ${(e as { reason?: string }).reason ?? (e as Error).message}`);
  }
  if (raw === undefined || raw === null) return {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = i.path.length ? i.path.join('.') : '(top level)';
      const unknown = i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${[...i.path, k].join('.')}"`).join(', ')}` : null;
      return unknown ?? `${key}: ${i.message}`;
    });
    throw new ConfigError(file, `invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
