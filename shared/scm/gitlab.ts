import { GitbeakerRequestError, GitbeakerRetryError, Gitlab } from '@gitbeaker/rest';
import { readArchiveTree } from './archive.ts';
import { consoleLog, DEFAULT_RETRIES, DEFAULT_RETRY_AFTER_BASE_MS, truncate, type ScmTuning } from './options.ts';
import { addedLines, type ChangedFile, type RepoTarget, type ScmClient } from './port.ts';

export const DEFAULT_GITLAB_URL = 'https://gitlab.com';
export const STATUS_NAME = 'shipwatch';
const MAX_STATUS_DESCRIPTION = 255;

type GitbeakerOptions = ConstructorParameters<typeof Gitlab>[0];

export type GitLabClientOptions = ScmTuning & {
  /** Instance base URL, without `/api/v4` (default `https://gitlab.com`). */
  host?: string;
  /** Personal, project or group access token with the `api` scope. */
  token: string;
  /**
   * Requests per minute by endpoint glob, as gitbeaker takes them. Its defaults are GitLab.com's
   * (archives: 5 a minute); a stand-in or a self-managed instance may allow more.
   */
  rateLimits?: GitbeakerOptions['rateLimits'];
};

/** A failed GitLab call, without the request (whose headers carry the token). */
export class GitLabRequestError extends Error {
  override name = 'GitLabRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The ScmClient for GitLab (gitlab.com or self-managed) over gitbeaker. Gitbeaker retries 429 and
 * 502 itself; other 5xx answers and dropped connections are retried here, each operation as a
 * whole (a retried comment upsert lists the notes again, so it cannot post a second one).
 */
export function createGitLabClient(options: GitLabClientOptions): ScmClient {
  const api = new Gitlab({
    host: (options.host ?? DEFAULT_GITLAB_URL).replace(/\/+$/, ''),
    token: options.token,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const log = options.log ?? consoleLog;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const baseMs = options.retryAfterBaseMs ?? DEFAULT_RETRY_AFTER_BASE_MS;

  async function withRetries<T>(what: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (e) {
        const status = statusOf(e);
        const transient = (status !== undefined && status >= 500) || e instanceof GitbeakerRetryError || isConnectionError(e);
        if (!transient || attempt >= retries) throw sanitized(e, what);
        log.warn(`GitLab ${what} failed (${status ?? (e as Error).message}), retry ${attempt + 1} of ${retries}`);
        await new Promise((resolve) => setTimeout(resolve, (attempt + 1) ** 2 * baseMs));
      }
    }
  }

  return {
    changedFiles(target, number) {
      return withRetries('merge request diffs', async () => {
        const diffs = await api.MergeRequests.allDiffs(projectOf(target), number, { perPage: 100 });
        return diffs.map(
          (diff): ChangedFile => ({
            path: diff.new_path,
            status: diff.new_file ? 'added' : diff.deleted_file ? 'removed' : diff.renamed_file ? 'renamed' : 'modified',
            ...(diff.renamed_file ? { previousPath: diff.old_path } : {}),
            // GitLab empties `diff` for diffs it collapses or finds too large.
            changedLines: diff.too_large || diff.collapsed ? null : addedLines(diff.diff),
          }),
        );
      });
    },

    readFile(target, path, ref) {
      return withRetries('file read', async () => {
        try {
          const raw = await api.RepositoryFiles.showRaw(projectOf(target), path, ref);
          return typeof raw === 'string' ? raw : Buffer.from(await raw.arrayBuffer()).toString('utf8');
        } catch (e) {
          if (statusOf(e) === 404) return null;
          throw e;
        }
      });
    },

    readTree(target, ref, wanted) {
      return withRetries('archive download', async () => {
        const archive = await api.Repositories.showArchive(projectOf(target), { fileType: 'tar.gz', sha: ref, asStream: true });
        return readArchiveTree(archive as unknown as AsyncIterable<Uint8Array>, wanted, options.maxTreeFileBytes);
      });
    },

    upsertComment(target, number, marker, body) {
      const text = body.includes(marker) ? body : `${marker}\n${body}`;
      return withRetries('merge request note', async () => {
        const project = projectOf(target);
        const notes = await api.MergeRequestNotes.all(project, number, { perPage: 100, sort: 'asc', orderBy: 'created_at' });
        const ours = notes.find((note) => !note.system && note.body.includes(marker));
        if (!ours) await api.MergeRequestNotes.create(project, number, text);
        else if (ours.body !== text) await api.MergeRequestNotes.edit(project, number, ours.id, { body: text });
      });
    },

    reportStatus(target, sha, report) {
      // GitLab statuses carry no annotations: the merge request note has the details.
      return withRetries('commit status', async () => {
        await api.Commits.editStatus(projectOf(target), sha, report.conclusion === 'success' ? 'success' : 'failed', {
          name: STATUS_NAME,
          description: truncate(report.title, MAX_STATUS_DESCRIPTION),
          ...(report.detailsUrl ? { targetUrl: report.detailsUrl } : {}),
        });
      });
    },
  };
}

/** Gitbeaker encodes the id itself: a numeric id, or the plain `group/project` path. */
function projectOf(target: RepoTarget): string | number {
  const id = target.projectId;
  if (typeof id === 'number') return id;
  if (/^\d+$/.test(id)) return Number(id);
  return id.includes('%') ? decodeURIComponent(id) : id;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof GitbeakerRequestError ? error.cause?.response?.status : undefined;
}

function isConnectionError(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message);
}

function sanitized(error: unknown, what: string): Error {
  if (error instanceof GitbeakerRequestError) {
    const status = statusOf(error);
    return new GitLabRequestError(`GitLab ${what} failed: ${status ?? ''} ${error.message}`.replace(/\s+/g, ' ').trim(), status);
  }
  return error instanceof Error ? error : new Error(String(error));
}
