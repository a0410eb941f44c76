// The shape of a compliance report, apart from how it is judged (report.ts), so that readers of
// the shape (formatters, the dashboard's types) do not load the rule engines.
import type { Finding } from '../findings/finding.ts';
import type { Automation } from './framework.ts';
import type { ReportScope } from './report-scope.ts';

export type ControlStatus = 'fail' | 'accepted' | 'pass' | 'not-assessed';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['fail', 'accepted', 'pass', 'not-assessed'];

export interface ControlResult {
  id: string;
  title: string;
  automation: Automation;
  /**
   * fail: an unsuppressed finding of one of its rules; accepted: only suppressed findings (risks
   * accepted, each with its reason), never a pass; pass: its rules evaluated something in scope and
   * found nothing; not-assessed: a manual control, no rule for it in scope, or nothing its rules read.
   */
  status: ControlStatus;
  /** The rules that were evaluated for the control. */
  rules: string[];
  /** Why the control is not assessed; null otherwise. */
  reason: string | null;
  /** When the evidence behind the status was gathered (latest observation of its findings or scan of its rules); null when not assessed. */
  evidenceAt: string | null;
  /** Unsuppressed findings behind a fail. */
  findings: Finding[];
  /** Suppressed findings: risks accepted in annotations, comments, configuration or through the API. */
  accepted: Finding[];
}

export interface ComplianceReport {
  framework: { id: string; name: string; version: string; mappingVersion: string };
  scope: ReportScope;
  generatedAt: string;
  summary: Record<ControlStatus, number>;
  controls: ControlResult[];
}

