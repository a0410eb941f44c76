import type { z } from 'zod';
import type { Severity } from '../../findings/finding.ts';
import { ConfigError, type ShipwatchConfig } from '../../config/config.ts';
import { allRules, registerRule, type RuleMeta } from '../../rules/registry.ts';
import type { CloudSubject, CloudSubjectKind, Setting, SubjectOf } from './model.ts';

/** What an EKS-/ECR- rule reports: the offending setting and why. */
export interface CloudHit {
  /** The field as the source names it (part of the finding's identity). */
  field: string;
  /** Line of the field in a template; null for live resources. */
  line: number | null;
  message: string;
  severity?: Severity;
}

export interface CloudContext<O> {
  /** This rule's options (`ruleOptions.<id>`), defaults applied. */
  options: O;
}

export interface CloudRule<K extends CloudSubjectKind = CloudSubjectKind, O = unknown> extends RuleMeta {
  engine: 'cloud';
  /** The kind of resource the rule reads. */
  subject: K;
  optionsSchema?: z.ZodType<O>;
  check(subject: SubjectOf<K>, ctx: CloudContext<O>): Iterable<CloudHit>;
}

/** Defines and registers a rule over one kind of EKS/ECR resource (Terraform, CloudFormation and live alike). */
export function cloudRule<K extends CloudSubjectKind, O = unknown>(
  def: Omit<RuleMeta, 'engine'> & { subject: K; optionsSchema?: z.ZodType<O>; check(subject: SubjectOf<K>, ctx: CloudContext<O>): Iterable<CloudHit> },
): CloudRule<K, O> {
  return registerRule({ ...def, engine: 'cloud' as const });
}

/** A hit at a setting: its field and line. */
export function hitAt(setting: Setting<unknown>, message: string): CloudHit {
  return { field: setting.field, line: setting.line, message };
}

/** "is omitted (the default is true)" or "is true": how a message quotes a setting. */
export function describeSetting(setting: Setting<unknown>, shown: string): string {
  return setting.explicit ? `${setting.field} is ${shown}` : `${setting.field} is not set (the default is ${shown})`;
}

export interface CloudDetection {
  rule: CloudRule;
  subject: CloudSubject;
  hit: CloudHit;
}

export interface CloudRuleFailure {
  subject: CloudSubject;
  message: string;
}

interface PreparedRule {
  rule: CloudRule;
  options: unknown;
}

/** The enabled cloud rules with their options validated (a bad option is a configuration error naming the key). */
export function prepareCloudRules(config: ShipwatchConfig, enabled: (rule: RuleMeta) => boolean): PreparedRule[] {
  return allRules()
    .filter((r): r is CloudRule => r.engine === 'cloud' && enabled(r))
    .map((rule) => ({ rule, options: ruleOptions(rule, config) }));
}

function ruleOptions(rule: CloudRule, config: ShipwatchConfig): unknown {
  if (!rule.optionsSchema) return {};
  const parsed = rule.optionsSchema.safeParse(config.ruleOptions?.[rule.id] ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError('.shipwatch.yaml', `ruleOptions.${[rule.id, ...issue.path].join('.')}: ${issue.message}`);
}

/** Runs every prepared rule over the resources of its kind; a rule that throws is reported, never fatal. */
export function evaluateCloudRules(subjects: readonly CloudSubject[], rules: readonly PreparedRule[]): { detections: CloudDetection[]; failures: CloudRuleFailure[] } {
  const detections: CloudDetection[] = [];
  const failures: CloudRuleFailure[] = [];
  for (const subject of subjects) {
    for (const { rule, options } of rules) {
      if (rule.subject !== subject.kind) continue;
      try {
        for (const hit of (rule as CloudRule<typeof subject.kind>).check(subject as never, { options })) detections.push({ rule, subject, hit });
      } catch (e) {
        failures.push({ subject, message: `rule ${rule.id} failed on ${subject.type} "${subject.name}": ${(e as Error).message}` });
      }
    }
  }
  return { detections, failures };
}
