import { atOrAbove, SEVERITIES, severityRank, type Finding, type Severity } from '../findings/finding.ts';
import type { StoredFinding } from '../pipeline/model.ts';
import type { Notifier } from '../pipeline/ports.ts';

export const DEFAULT_MIN_SEVERITY: Severity = 'high';
/** More alerts than this in one stream batch go out as one digest. */
export const DEFAULT_DIGEST_ABOVE = 10;

/** The channels a detection can be routed to (`audit.routing` in .shipwatch.yaml). */
export type AlertRoute = 'slack' | 'sns';

/** Where alerts go (Slack, SNS, or several at once): one message per finding, or one digest for many. */
export interface AlertChannel extends Notifier {
  /** The route this channel serves; a fan-out sends a routed finding only to its routes' channels. */
  readonly route?: AlertRoute;
  alert(finding: StoredFinding): Promise<void>;
  digest(findings: StoredFinding[]): Promise<void>;
}

/** The routes an audit finding names (its detection's routing, or the catalog's default by severity), else null. */
export function routesOf(finding: Pick<Finding, 'audit'>): readonly AlertRoute[] | null {
  const routes = (finding.audit as { routes?: unknown } | null | undefined)?.routes;
  return Array.isArray(routes) ? routes.filter((r): r is AlertRoute => r === 'slack' || r === 'sns') : null;
}

/**
 * Whether a newly opened finding alerts: a routed (audit) finding when it has a route at all (low
 * ones are stored only), any other at or above the severity threshold. Suppressed ones never do.
 */
export function shouldAlert(finding: Pick<Finding, 'audit' | 'severity' | 'suppressed'>, minSeverity: Severity): boolean {
  if (finding.suppressed) return false;
  const routes = routesOf(finding);
  return routes ? routes.length > 0 : atOrAbove(finding.severity, minSeverity);
}

/**
 * The Notifier port on top of an AlertChannel: one message per finding, or a single digest when
 * there are more than `digestAbove`.
 */
export async function notifyEachOrDigest(channel: AlertChannel, findings: StoredFinding[], digestAbove: number): Promise<void> {
  if (findings.length === 0) return;
  if (findings.length > digestAbove) return channel.digest(findings);
  await attemptAll(
    mostSevereFirst(findings).map((f) => () => channel.alert(f)),
    'alerts',
  );
}

/** Runs every task one after the other (kinder to rate limits than a burst), then rethrows any failure. */
export async function attemptAll(tasks: (() => Promise<void>)[], what: string): Promise<void> {
  const errors: unknown[] = [];
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      errors.push(error);
    }
  }
  throwFailures(errors, tasks.length, what);
}

/** Nothing fails silently: the only error as is, several as one AggregateError naming them all. */
export function throwFailures(errors: unknown[], attempted: number, what: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const reasons = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
    throw new AggregateError(errors, `${errors.length} of ${attempted} ${what} failed: ${reasons}`);
  }
}

export function mostSevereFirst(findings: readonly StoredFinding[]): StoredFinding[] {
  return [...findings].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint),
  );
}

export interface DigestSummary {
  total: number;
  highest: Severity;
  bySeverity: Record<Severity, number>;
  bySource: Record<string, number>;
  /** The most severe findings, at most the requested number. */
  top: StoredFinding[];
}

export function digestSummary(findings: readonly StoredFinding[], topCount: number): DigestSummary {
  if (findings.length === 0) throw new Error('a digest needs at least one finding');
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const bySource: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    bySource[f.source] = (bySource[f.source] ?? 0) + 1;
  }
  const sorted = mostSevereFirst(findings);
  return { total: findings.length, highest: sorted[0].severity, bySeverity, bySource, top: sorted.slice(0, topCount) };
}

const CHANGE_REQUEST = /^(pr|mr)\/(\d+)$/;

/** The scope of a finding for people: `owner/repo PR #12`, `owner/repo branch main`, the image or the cluster. */
export function scopeLabel(f: StoredFinding): string {
  const { repo, ref, image, cluster } = f.scope;
  if (repo) {
    const name = repo.replace(/^(github|gitlab):/, '');
    const change = ref ? CHANGE_REQUEST.exec(ref) : null;
    if (change) return `${name} ${change[1] === 'pr' ? 'PR #' : 'MR !'}${change[2]}`;
    return ref ? `${name} branch ${ref}` : name;
  }
  if (image) return `image ${image}${imageVersion(f)}`;
  if (cluster) return `cluster ${cluster}`;
  return 'unknown scope';
}

function imageVersion(f: StoredFinding): string {
  const digest = f.image?.digest;
  const tag = f.image?.tag;
  if (typeof tag === 'string' && tag) return `:${tag}`;
  if (typeof digest === 'string' && digest) return `@${digest}`;
  return '';
}

/** What inside the scope: file and line, Kubernetes resource, container, vulnerable package. */
export function locationDetails(f: StoredFinding): string[] {
  const details: string[] = [];
  if (f.location) details.push(f.location.line ? `${f.location.file}:${f.location.line}` : f.location.file);
  if (f.resource) {
    const resource = `${f.resource.kind ?? '?'}/${f.resource.name ?? '?'}`;
    details.push(f.resource.namespace ? `${resource} in namespace ${f.resource.namespace}` : resource);
  }
  if (f.container) details.push(`container ${f.container}`);
  const pkg = f.vulnerability?.package;
  if (typeof pkg === 'string' && pkg) {
    const installed = f.vulnerability?.installedVersion;
    details.push(`package ${pkg}${typeof installed === 'string' && installed ? ` ${installed}` : ''}`);
  }
  return details;
}

/** The finding as sent outside Slack: everything except the (masked) evidence. */
export function withoutEvidence(f: StoredFinding): Omit<StoredFinding, 'evidence'> {
  const { evidence: _evidence, ...rest } = f;
  return rest;
}
