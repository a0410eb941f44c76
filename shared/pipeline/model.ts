import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../findings/finding.ts';

/** Where findings come from: a repository branch (or PR), an image, or a cluster. */
export interface FindingScope {
  /** `github:owner/repo` or `gitlab:group/project`. */
  repo?: string;
  /** Branch name for pushes, `pr/<n>` (GitHub) or `mr/<iid>` (GitLab) for change requests. */
  ref?: string;
  /** `registry/repository` for image findings (with `ref`: the tag, or the digest of an untagged push). */
  image?: string;
  cluster?: string;
}

/** `superseded`: an image finding whose tag now points at a newer digest that does not have it (not fixed, replaced). */
export const FINDING_STATUSES = ['open', 'suppressed', 'resolved', 'superseded'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export type HistoryEvent = 'opened' | 'resolved' | 'reopened' | 'suppressed' | 'unsuppressed' | 'superseded';

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  by?: string;
  reason?: string;
}

/** A finding as the pipeline stores it: the scan finding plus scope, lifecycle and history. */
export interface StoredFinding extends Finding {
  /** Identity in the store: the engine fingerprint made unique per scope. */
  fingerprint: string;
  /** The engine's own fingerprint (scope-independent), used to compare a PR with its base branch. */
  findingFingerprint: string;
  scope: FindingScope;
  scopeKey: string;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  suppressedBy: string | null;
  suppressedReason: string | null;
  suppressedUntil: string | null;
  /** Link for humans: the PR, commit file or image. */
  url: string | null;
}

export function scopeKey(scope: FindingScope): string {
  if (scope.repo) return `repo:${scope.repo}@${scope.ref ?? ''}`;
  if (scope.image) return `image:${scope.image}${scope.ref ? `@${scope.ref}` : ''}`;
  if (scope.cluster) return `cluster:${scope.cluster}`;
  throw new Error('a finding scope needs a repo, an image or a cluster');
}

/** The store identity of a finding: its engine fingerprint inside one scope. */
export function storedFingerprint(scope: FindingScope, engineFingerprint: string): string {
  return createHash('sha256').update(`${scopeKey(scope)}\u0000${engineFingerprint}`).digest('hex');
}

/** A scan job on the queue. */
export type ScanJob =
  | {
      type: 'pull-request';
      provider: 'github' | 'gitlab';
      /** `owner/repo` (GitHub) or the project path (GitLab). */
      repo: string;
      /** GitLab project id (numeric) or path; GitHub: same as repo. */
      projectId: string | number;
      number: number;
      headSha: string;
      baseRef: string;
      headRef: string;
      defaultBranch: string;
      installationId?: number;
      deliveryId: string;
      url: string;
    }
  | {
      type: 'push';
      provider: 'github' | 'gitlab';
      repo: string;
      projectId: string | number;
      sha: string;
      branch: string;
      installationId?: number;
      deliveryId: string;
      url: string;
    };

export interface ScanRecord {
  scopeKey: string;
  at: string;
  commit: string;
  findings: number;
  newFindings: number;
  resolvedFindings: number;
  summary: Record<Severity, number>;
  trigger: string;
}
