// Aggregates over stored findings for the dashboard's overview: counts, the riskiest targets and
// a day-by-day series of opened and resolved findings. Computed in one pass over a store visit.
import { SEVERITIES, severityRank, type FindingSource, type Severity } from '../findings/finding.ts';
import type { TargetKind } from './lifecycle.ts';
import { FINDING_STATUSES, type FindingStatus, type StoredFinding } from './model.ts';

const SOURCES: readonly FindingSource[] = ['iac', 'image', 'registry', 'audit', 'posture'];
/** How much one open finding adds to its target's risk score, by severity. */
export const RISK_WEIGHTS: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };
export const TOP_LIMIT = 10;

export interface TargetRisk {
  name: string;
  score: number;
  open: Record<Severity, number>;
}

export interface RuleCount {
  ruleId: string;
  title: string;
  severity: Severity;
  open: number;
}

export interface DayCount {
  day: string;
  opened: number;
  resolved: number;
}

export interface FindingStats {
  generatedAt: string;
  /** Open findings per severity and per source. */
  open: { total: number; bySeverity: Record<Severity, number>; bySource: Record<FindingSource, number> };
  byStatus: Record<FindingStatus, number>;
  /** Rules with the most open findings. */
  topRules: RuleCount[];
  /** Targets with the highest risk score (open findings weighted by severity), per kind. */
  riskiest: Record<TargetKind, TargetRisk[]>;
  /** Per day (UTC), oldest first: findings first seen that day, and findings resolved that day (still resolved). */
  series: DayCount[];
  /** True when the store visit stopped at its bound: the figures cover part of the findings. */
  truncated: boolean;
}

const zeroSeverities = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** Collects findings one at a time (hand it a store visit), then `result()`. */
export class StatsCollector {
  private readonly bySeverity = zeroSeverities();
  private readonly bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<FindingSource, number>;
  private readonly byStatus = Object.fromEntries(FINDING_STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;
  private readonly rules = new Map<string, RuleCount>();
  private readonly targets: Record<TargetKind, Map<string, TargetRisk>> = { repo: new Map(), image: new Map(), cluster: new Map() };
  private readonly days = new Map<string, DayCount>();
  private readonly firstDay: string;

  /** `now` and `days`: the series covers the `days` days up to and including today. */
  constructor(
    private readonly now: Date,
    private readonly dayCount: number,
  ) {
    this.firstDay = dayOf(new Date(now.getTime() - (dayCount - 1) * 86_400_000).toISOString());
  }

  add(f: StoredFinding): void {
    this.byStatus[f.status]++;
    this.count(f.firstSeen, 'opened');
    if (f.status === 'resolved' && f.resolvedAt) this.count(f.resolvedAt, 'resolved');
    if (f.status !== 'open') return;
    this.bySeverity[f.severity]++;
    this.bySource[f.source] = (this.bySource[f.source] ?? 0) + 1;

    const rule = this.rules.get(f.ruleId);
    if (!rule) this.rules.set(f.ruleId, { ruleId: f.ruleId, title: f.title, severity: f.severity, open: 1 });
    else {
      rule.open++;
      if (severityRank(f.severity) < severityRank(rule.severity)) rule.severity = f.severity;
    }

    const { repo, image, cluster } = f.scope;
    const [kind, name] = repo ? (['repo', repo] as const) : image ? (['image', image] as const) : (['cluster', cluster ?? ''] as const);
    const byName = this.targets[kind];
    let risk = byName.get(name);
    if (!risk) byName.set(name, (risk = { name, score: 0, open: zeroSeverities() }));
    risk.open[f.severity]++;
    risk.score += RISK_WEIGHTS[f.severity];
  }

  result(truncated: boolean): FindingStats {
    const series: DayCount[] = [];
    for (let i = 0; i < this.dayCount; i++) {
      const day = dayOf(new Date(Date.parse(`${this.firstDay}T00:00:00Z`) + i * 86_400_000).toISOString());
      series.push(this.days.get(day) ?? { day, opened: 0, resolved: 0 });
    }
    const top = <T>(items: Iterable<T>, compare: (a: T, b: T) => number) => [...items].sort(compare).slice(0, TOP_LIMIT);
    const total = SEVERITIES.reduce((sum, s) => sum + this.bySeverity[s], 0);
    const byRisk = (a: TargetRisk, b: TargetRisk) => b.score - a.score || (a.name < b.name ? -1 : 1);
    return {
      generatedAt: this.now.toISOString(),
      open: { total, bySeverity: this.bySeverity, bySource: this.bySource },
      byStatus: this.byStatus,
      topRules: top(this.rules.values(), (a, b) => b.open - a.open || severityRank(a.severity) - severityRank(b.severity) || (a.ruleId < b.ruleId ? -1 : 1)),
      riskiest: {
        repo: top(this.targets.repo.values(), byRisk),
        image: top(this.targets.image.values(), byRisk),
        cluster: top(this.targets.cluster.values(), byRisk),
      },
      series,
      truncated,
    };
  }

  private count(at: string, kind: 'opened' | 'resolved'): void {
    // ISO times compare as text: anything before the first day's date is outside the series.
    if (at < this.firstDay) return;
    const day = dayOf(at);
    let entry = this.days.get(day);
    if (!entry) this.days.set(day, (entry = { day, opened: 0, resolved: 0 }));
    entry[kind]++;
  }
}

function dayOf(iso: string): string {
  return iso.slice(0, 10);
}
