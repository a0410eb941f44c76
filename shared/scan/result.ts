import type { Finding, SeveritySummary } from '../findings/finding.ts';

export interface ScanError {
  file: string;
  line: number | null;
  message: string;
}

/** Something the user should know that is neither a finding nor an error (Helm chart skipped, expired ignore). */
export interface ScanNotice {
  file: string | null;
  message: string;
}

export interface ScanResult {
  schemaVersion: 1;
  findings: Finding[];
  errors: ScanError[];
  notices: ScanNotice[];
  summary: SeveritySummary;
}
