import type { ShipwatchConfig } from '../../shared/config/config.ts';
import type { Finding } from '../../shared/findings/finding.ts';
import { createAuditProcessor, type AuditBatchResult } from '../../shared/audit/processor.ts';
import { MemoryAuditState } from '../../shared/audit/state.ts';

/** Runs events through a fresh processor (in-memory state), as one batch. */
export async function runAudit(events: unknown[], audit: ShipwatchConfig['audit'] = {}): Promise<AuditBatchResult> {
  const processor = createAuditProcessor({ config: { audit }, state: new MemoryAuditState() });
  return processor.process('prod-eu', events);
}

/** Rule ids of the findings, sorted (unsuppressed ones only unless `all`). */
export function ruleIds(result: { findings: Finding[] }, all = false): string[] {
  return result.findings.filter((f) => all || !f.suppressed).map((f) => f.ruleId).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function only(result: { findings: Finding[] }, ruleId: string): Finding {
  const found = result.findings.filter((f) => f.ruleId === ruleId);
  if (found.length !== 1) throw new Error(`expected one ${ruleId} finding, got ${found.length} (${result.findings.map((f) => f.ruleId).join(', ')})`);
  return found[0];
}
