import type { Finding, Severity } from '../findings/finding.ts';
import { notifyEachOrDigest, shouldAlert, type AlertChannel } from '../notify/alert.ts';
import type { FindingScope, ScanRecord, StoredFinding } from '../pipeline/model.ts';
import type { ApplyScanResult, FindingStore } from '../pipeline/ports.ts';

/**
 * The local server has no table stream: this store decorator alerts on what a stream would carry,
 * findings that a write opened or re-opened, at or above the threshold and not suppressed.
 */
export function alertingStore(store: FindingStore, channel: AlertChannel, options: { minSeverity: Severity; digestAbove: number }): FindingStore {
  const alert = async (opened: StoredFinding[]) => {
    const serious = opened.filter((f) => f.status === 'open' && shouldAlert(f, options.minSeverity));
    if (serious.length) await notifyEachOrDigest(channel, serious, options.digestAbove);
  };
  return {
    ...bindAll(store),
    async applyScan(scope: FindingScope, findings: Finding[], record: Omit<ScanRecord, 'scopeKey' | 'findings' | 'newFindings' | 'resolvedFindings'>, extras?: { url?: (f: Finding) => string | null }): Promise<ApplyScanResult> {
      const result = await store.applyScan(scope, findings, record, extras);
      await alert(result.opened);
      return result;
    },
    async upsert(scope: FindingScope, findings: Finding[]): Promise<ApplyScanResult> {
      const result = await store.upsert(scope, findings);
      await alert(result.opened);
      return result;
    },
    async reopen(fingerprint: string, by: string, reason?: string) {
      const reopened = await store.reopen(fingerprint, by, reason);
      if (reopened) await alert([reopened]);
      return reopened;
    },
  };
}

function bindAll(store: FindingStore): FindingStore {
  return {
    applyScan: store.applyScan.bind(store),
    upsert: store.upsert.bind(store),
    get: store.get.bind(store),
    openByFindingFingerprint: store.openByFindingFingerprint.bind(store),
    query: store.query.bind(store),
    history: store.history.bind(store),
    suppress: store.suppress.bind(store),
    reopen: store.reopen.bind(store),
    scans: store.scans.bind(store),
    visit: store.visit.bind(store),
  };
}
