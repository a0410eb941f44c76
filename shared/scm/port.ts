/** Which repository, on which forge, with which credentials scope. */
export interface RepoTarget {
  provider: 'github' | 'gitlab';
  /** `owner/repo` or the GitLab project path. */
  repo: string;
  /** GitHub: `owner/repo`; GitLab: numeric project id (or URL-encoded path). */
  projectId: string | number;
  /** GitHub App installation that covers the repository. */
  installationId?: number;
}

export interface ChangedFile {
  path: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  previousPath?: string;
  /** Lines added or changed in the new version (from the diff); null when the forge gave no diff. */
  changedLines: number[] | null;
}

export interface Annotation {
  path: string;
  line: number;
  level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

export interface CommitStatusReport {
  conclusion: 'success' | 'failure';
  title: string;
  /** Markdown summary (escaped by the caller). */
  summary: string;
  annotations: Annotation[];
  detailsUrl?: string;
}

/** What the scanner needs from GitHub or GitLab: one interface, one adapter per forge. */
export interface ScmClient {
  /** Files changed by a pull/merge request (every page). */
  changedFiles(target: RepoTarget, number: number): Promise<ChangedFile[]>;
  /** A file's text at a commit, or null when it does not exist there. */
  readFile(target: RepoTarget, path: string, ref: string): Promise<string | null>;
  /** Texts of the repository's files at a commit that `wanted(path)` selects (one archive download). */
  readTree(target: RepoTarget, ref: string, wanted: (path: string) => boolean): Promise<Map<string, string>>;
  /** Creates or edits in place the one comment/note that carries `marker`. */
  upsertComment(target: RepoTarget, number: number, marker: string, body: string): Promise<void>;
  /** Check run (GitHub) or commit status plus note (GitLab) for the head commit. */
  reportStatus(target: RepoTarget, sha: string, report: CommitStatusReport): Promise<void>;
}

/** Line numbers added in the new file, from a unified diff. */
export function addedLines(patch: string | undefined | null): number[] | null {
  if (patch === undefined || patch === null) return null;
  const lines: number[] = [];
  let next = 0;
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (next === 0) continue;
    if (line.startsWith('+')) lines.push(next++);
    else if (line.startsWith(' ')) next++;
    else if (line.startsWith('\\')) continue;
  }
  return lines;
}
