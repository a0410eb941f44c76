// `ignore` entries of .shipwatch.yaml, applied the same way by every scanner: the first entry for
// the rule whose paths match suppresses the finding; an expired one no longer does, and says so
// once in the scan's notices.
import picomatch from 'picomatch';
import type { ScanNotice } from '../scan/result.ts';
import type { IgnoreEntry, ShipwatchConfig } from './config.ts';

export interface ConfigIgnores {
  /** The entry that suppresses `ruleId` at any of `paths`, or null. */
  find(ruleId: string, paths: readonly string[]): IgnoreEntry | null;
}

export function configIgnores(config: ShipwatchConfig, now: Date, notices: ScanNotice[]): ConfigIgnores {
  const today = now.toISOString().slice(0, 10);
  const ignores = (config.ignore ?? []).map((entry) => ({
    entry,
    matches: entry.paths?.length ? picomatch(entry.paths, { dot: true }) : () => true,
    expired: entry.expires !== undefined && entry.expires < today,
    reported: false,
  }));
  return {
    find(ruleId, paths) {
      for (const ig of ignores) {
        if (ig.entry.rule !== ruleId || !paths.some((p) => ig.matches(p))) continue;
        if (!ig.expired) return ig.entry;
        if (!ig.reported) {
          ig.reported = true;
          notices.push({ file: '.shipwatch.yaml', message: `ignore of ${ig.entry.rule} expired on ${ig.entry.expires} and no longer suppresses (${ig.entry.reason})` });
        }
      }
      return null;
    },
  };
}
