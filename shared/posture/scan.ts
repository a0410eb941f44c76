// The live posture scan: for each configured account and region, read EKS and ECR through a
// PostureSource, judge the resources with the same EKS-/ECR- rules as templates, write the findings
// as one complete scan of that account and region (so fixed settings resolve), and record the
// cluster inventory.
import { fingerprint, summarize, SEVERITIES, type Finding, type SeveritySummary } from '../findings/finding.ts';
import type { ShipwatchConfig } from '../config/config.ts';
import { evaluateCloudRules, prepareCloudRules } from '../iac/cloud/rule.ts';
import type { CloudSubject } from '../iac/cloud/model.ts';
import type { FindingScope } from '../pipeline/model.ts';
import type { FindingStore } from '../pipeline/ports.ts';
import { ruleEnabled } from '../scan/engine.ts';
import type { ClusterInventoryItem, InventoryStore } from './inventory.ts';
import { enabledLogTypes, liveSubjects, type RegionSnapshot } from './live.ts';
import '../iac/cloud/rules/all.ts';

/** One account to scan: its regions, and the read-only role to assume there (none: the current credentials). */
export interface PostureAccount {
  /** Optional when the current credentials are used: the scan asks STS who it is. */
  accountId?: string;
  regions: string[];
  roleArn?: string;
}

export interface PostureTarget {
  accountId?: string;
  region: string;
  roleArn?: string;
}

/** Where live configuration comes from: the AWS API (aws.ts), or a stand-in in tests. */
export interface PostureSource {
  read(target: PostureTarget): Promise<RegionSnapshot>;
}

export interface PostureScanDeps {
  source: PostureSource;
  store: FindingStore;
  inventory: InventoryStore;
  config?: ShipwatchConfig;
  now?: () => Date;
}

export interface RegionOutcome {
  account: string | null;
  region: string;
  clusters: number;
  repositories: number;
  findings: number;
  opened: number;
  resolved: number;
  /** Why the account/region could not be read; its stored findings and inventory are left as they were. */
  error?: string;
  /** Resources that could not be judged (an unreadable policy). */
  problems: string[];
}

/** The findings scope of one account and region: posture findings resolve per account and region. */
export const postureScope = (account: string, region: string): FindingScope => ({ cluster: `aws:${account}/${region}` });

/** Console links for a finding's resource, for the dashboard and alerts. */
function consoleUrl(f: Finding, region: string, account: string): string | null {
  const name = f.resource?.name ?? '';
  const base = `https://${region}.console.aws.amazon.com`;
  if (f.resource?.kind === 'AWS::EKS::Cluster') return `${base}/eks/home?region=${region}#/clusters/${encodeURIComponent(name)}`;
  if (f.resource?.kind === 'AWS::EKS::Nodegroup') {
    const [cluster, nodegroup] = name.split('/');
    return `${base}/eks/home?region=${region}#/clusters/${encodeURIComponent(cluster)}/nodegroups/${encodeURIComponent(nodegroup ?? '')}`;
  }
  if (f.resource?.kind === 'AWS::ECR::Repository') return `${base}/ecr/repositories/private/${account}/${name}?region=${region}`;
  return null;
}

/** Findings for live resources: located by ARN (no file), source `posture`. */
export function postureFindings(subjects: readonly CloudSubject[], config: ShipwatchConfig): { findings: Finding[]; problems: string[] } {
  const { detections, failures } = evaluateCloudRules(subjects, prepareCloudRules(config, (rule) => ruleEnabled(rule, config)));
  const findings = detections.map(({ rule, subject, hit }): Finding => {
    const resource = { apiVersion: null, kind: subject.type, namespace: subject.namespace, name: subject.name };
    return {
      ruleId: rule.id,
      severity: config.severity?.[rule.id] ?? hit.severity ?? rule.severity,
      title: rule.title,
      message: hit.message,
      remediation: rule.remediation,
      fingerprint: fingerprint({ ruleId: rule.id, target: subject.target, resource, field: hit.field }),
      source: 'posture',
      location: null,
      resource,
      container: null,
      compliance: rule.compliance,
      suppressed: false,
      suppression: null,
    };
  });
  return { findings, problems: failures.map((f) => f.message) };
}

export function expandTargets(accounts: readonly PostureAccount[]): PostureTarget[] {
  return accounts.flatMap((a) => a.regions.map((region) => ({ accountId: a.accountId, region, roleArn: a.roleArn })));
}

export async function runPostureScan(accounts: readonly PostureAccount[], deps: PostureScanDeps): Promise<RegionOutcome[]> {
  const outcomes: RegionOutcome[] = [];
  // Sequential: each region's reads are already concurrent, and API rate limits are per account and region.
  for (const target of expandTargets(accounts)) outcomes.push(await scanRegion(target, deps));
  return outcomes;
}

async function scanRegion(target: PostureTarget, deps: PostureScanDeps): Promise<RegionOutcome> {
  const config = deps.config ?? {};
  let snapshot: RegionSnapshot;
  try {
    snapshot = await deps.source.read(target);
  } catch (e) {
    return { account: target.accountId ?? null, region: target.region, clusters: 0, repositories: 0, findings: 0, opened: 0, resolved: 0, error: describeError(e), problems: [] };
  }
  const now = (deps.now?.() ?? new Date()).toISOString();
  const { subjects, problems } = liveSubjects(snapshot);
  const judged = postureFindings(subjects, config);
  const findings = judged.findings;
  const applied = await deps.store.applyScan(
    postureScope(snapshot.account, snapshot.region),
    findings,
    { at: now, commit: '', summary: summarize(findings), trigger: 'posture-scan' },
    { url: (f) => consoleUrl(f, snapshot.region, snapshot.account) },
  );
  await deps.inventory.replaceRegion(snapshot.account, snapshot.region, inventoryItems(snapshot, findings, now));
  return {
    account: snapshot.account,
    region: snapshot.region,
    clusters: snapshot.clusters.length,
    repositories: snapshot.repositories.length,
    findings: findings.length,
    opened: applied.opened.length,
    resolved: applied.resolved.length,
    problems: [...problems, ...judged.problems],
  };
}

function inventoryItems(snapshot: RegionSnapshot, findings: readonly Finding[], lastSeen: string): ClusterInventoryItem[] {
  return snapshot.clusters.map(({ cluster, nodegroups, auditSinkSubscribed }) => {
    const name = cluster.name ?? '?';
    const vpc = cluster.resourcesVpcConfig ?? {};
    const logging = enabledLogTypes(cluster);
    const auditLogEnabled = logging.includes('audit');
    const own = findings.filter((f) => f.resource?.kind?.startsWith('AWS::EKS::') && (f.resource.name === name || f.resource.name?.startsWith(`${name}/`)));
    return {
      account: snapshot.account,
      region: snapshot.region,
      name,
      arn: cluster.arn ?? `arn:aws:eks:${snapshot.region}:${snapshot.account}:cluster/${name}`,
      version: cluster.version ?? null,
      platformVersion: cluster.platformVersion ?? null,
      status: cluster.status ?? null,
      endpointPublicAccess: vpc.endpointPublicAccess ?? true,
      endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
      publicAccessCidrs: vpc.publicAccessCidrs ?? (vpc.endpointPublicAccess === false ? [] : ['0.0.0.0/0']),
      logging,
      auditLogEnabled,
      auditSinkSubscribed,
      connected: auditLogEnabled && auditSinkSubscribed,
      nodegroups: nodegroups.length,
      findings: severityCounts(own),
      lastSeen,
    };
  });
}

function severityCounts(findings: readonly Finding[]): SeveritySummary {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeveritySummary;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** An AWS error's name and message (never credentials: the SDK does not put them in errors). */
function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}
