import type { FindingSource } from '../findings/finding.ts';

/** What a compliance report covers: repositories, images, clusters, or everything. */
export const REPORT_SCOPES = ['all', 'repo', 'image', 'cluster'] as const;
export type ReportScope = (typeof REPORT_SCOPES)[number];

/**
 * The finding sources of each scope: repositories are IaC scans; images are image scans and
 * findings ingested from registries; clusters are audit-log detections and the live posture scan.
 */
export const SCOPE_SOURCES: Record<ReportScope, readonly FindingSource[]> = {
  all: ['iac', 'image', 'registry', 'audit', 'posture'],
  repo: ['iac'],
  image: ['image', 'registry'],
  cluster: ['audit', 'posture'],
};

/**
 * Where the findings of a rule family come from. Rule ids are the contract every engine shares, so
 * the family (the id before the dash) says it even for rules this process has not loaded. EKS/ECR
 * rules run on Terraform and CloudFormation in repositories and on the live configuration.
 */
const FAMILY_SOURCES: Record<string, readonly FindingSource[]> = {
  K8S: ['iac'],
  DOCKER: ['iac'],
  SECRET: ['iac', 'image'],
  IMG: ['image', 'registry'],
  AUDIT: ['audit'],
  EKS: ['iac', 'posture'],
  ECR: ['iac', 'posture'],
};

export function ruleFamily(ruleId: string): string {
  const dash = ruleId.indexOf('-');
  return dash > 0 ? ruleId.slice(0, dash) : ruleId;
}

/** Rules that report through fewer sources than their family. */
const RULE_SOURCES: Record<string, readonly FindingSource[]> = {
  // Whether a cluster's audit log reaches the audit sink is only visible in the live configuration.
  'EKS-007': ['posture'],
};

/** The sources a rule reports through; custom policies (any other family) run in IaC scans. */
export function ruleSources(ruleId: string): readonly FindingSource[] {
  return RULE_SOURCES[ruleId] ?? FAMILY_SOURCES[ruleFamily(ruleId)] ?? ['iac'];
}

/** Whether a rule can report anything in this scope. */
export function ruleInReportScope(ruleId: string, scope: ReportScope): boolean {
  const sources = SCOPE_SOURCES[scope];
  return ruleSources(ruleId).some((s) => sources.includes(s));
}

export function sourceInReportScope(source: FindingSource, scope: ReportScope): boolean {
  return SCOPE_SOURCES[scope].includes(source);
}
