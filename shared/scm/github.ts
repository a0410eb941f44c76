import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { readArchiveTree } from './archive.ts';
import { consoleLog, DEFAULT_RETRIES, DEFAULT_RETRY_AFTER_BASE_MS, truncate, type ScmLog, type ScmTuning } from './options.ts';
import { addedLines, type Annotation, type ChangedFile, type CommitStatusReport, type RepoTarget, type ScmClient } from './port.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const CHECK_RUN_NAME = 'shipwatch';

/** GitHub's request limits. */
const ANNOTATIONS_PER_REQUEST = 50;
const MAX_CHECK_SUMMARY = 65_535;
const MAX_COMMENT = 65_536;
const MAX_ANNOTATION_TITLE = 255;
const MAX_ANNOTATION_MESSAGE = 64 * 1024;
const MAX_STATUS_DESCRIPTION = 140;
/** A rate limit that resets later than this fails the job (the queue redelivers it) instead of holding a Lambda. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

export type GitHubCredentials =
  /** A personal access token, or an installation token minted elsewhere. */
  | { token: string }
  /** A GitHub App: each repository is reached with a token of the installation named by `target.installationId`. */
  | { app: { appId: number | string; privateKey: string } };

export type GitHubClientOptions = GitHubCredentials &
  ScmTuning & {
    /** REST API base, e.g. `https://github.example.com/api/v3` (default `https://api.github.com`). */
    baseUrl?: string;
  };

const GitHubOctokit = Octokit.plugin(retry, throttling);
type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

/** The ScmClient for GitHub (github.com or Enterprise Server) over Octokit with retries and rate-limit handling. */
export function createGitHubClient(options: GitHubClientOptions): ScmClient {
  const octokitFor = octokitFactory(options);
  const maxTreeFileBytes = options.maxTreeFileBytes;

  return {
    async changedFiles(target, number) {
      const octokit = octokitFor(target);
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...ownerRepo(target), pull_number: number, per_page: 100 });
      return files.map(
        (file): ChangedFile => ({
          path: file.filename,
          status: fileStatus(file.status),
          ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
          // GitHub leaves the patch out for binary files and very large diffs.
          changedLines: addedLines(file.patch),
        }),
      );
    },

    async readFile(target, path, ref) {
      const octokit = octokitFor(target);
      try {
        const { data } = await octokit.rest.repos.getContent({ ...ownerRepo(target), path, ref, mediaType: { format: 'raw' } });
        return textOf(data);
      } catch (e) {
        if (statusOf(e) === 404) return null;
        throw e;
      }
    },

    async readTree(target, ref, wanted) {
      const octokit = octokitFor(target);
      // The API answers with a redirect to a short-lived download URL, which fetch follows.
      const response = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
        ...ownerRepo(target),
        ref,
        request: { parseSuccessResponseBody: false },
      });
      return readArchiveTree(response.data as unknown as AsyncIterable<Uint8Array>, wanted, maxTreeFileBytes);
    },

    async upsertComment(target, number, marker, body) {
      const octokit = octokitFor(target);
      const text = truncate(body.includes(marker) ? body : `${marker}\n${body}`, MAX_COMMENT, '\n\n…(truncated)');
      const listing = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...ownerRepo(target), issue_number: number, per_page: 100 });
      for await (const page of listing) {
        const ours = page.data.find((comment) => comment.body?.includes(marker));
        if (ours) {
          if (ours.body !== text) await octokit.rest.issues.updateComment({ ...ownerRepo(target), comment_id: ours.id, body: text });
          return;
        }
      }
      await octokit.rest.issues.createComment({ ...ownerRepo(target), issue_number: number, body: text });
    },

    async reportStatus(target, sha, report) {
      const octokit = octokitFor(target);
      try {
        await createCheckRun(octokit, target, sha, report);
      } catch (e) {
        // Check runs are for GitHub Apps; a personal access token gets the older commit status instead.
        if (statusOf(e) !== 403 || !/GitHub App/i.test((e as Error).message)) throw e;
        await octokit.rest.repos.createCommitStatus({
          ...ownerRepo(target),
          sha,
          state: report.conclusion,
          context: CHECK_RUN_NAME,
          description: truncate(report.title, MAX_STATUS_DESCRIPTION),
          target_url: report.detailsUrl,
        });
      }
    },
  };
}

/** One Octokit for a token, or one per App installation (each caches and renews its installation token). */
function octokitFactory(options: GitHubClientOptions): (target: RepoTarget) => GitHubOctokit {
  const log = options.log ?? consoleLog;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryAfterBaseValue = options.retryAfterBaseMs ?? DEFAULT_RETRY_AFTER_BASE_MS;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < retries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
    log.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter} s` : 'giving up'}`);
    return again;
  };
  const common = {
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'shipwatch',
    log: octokitLog(log),
    retry: { retries, retryAfterBaseValue },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue,
      ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced } : {}),
    },
  };

  if ('token' in options) {
    const octokit = new GitHubOctokit({ ...common, auth: options.token });
    return () => octokit;
  }
  const { appId, privateKey } = options.app;
  const byInstallation = new Map<number, GitHubOctokit>();
  return (target) => {
    const installationId = target.installationId;
    if (!installationId) throw new Error(`GitHub App credentials need the installation id that covers ${target.repo}`);
    let octokit = byInstallation.get(installationId);
    if (!octokit) {
      octokit = new GitHubOctokit({ ...common, authStrategy: createAppAuth, auth: { appId, privateKey, installationId } });
      byInstallation.set(installationId, octokit);
    }
    return octokit;
  };
}

async function createCheckRun(octokit: GitHubOctokit, target: RepoTarget, sha: string, report: CommitStatusReport): Promise<void> {
  const batches = chunks(report.annotations.map(checkAnnotation), ANNOTATIONS_PER_REQUEST);
  const output = (annotations: ReturnType<typeof checkAnnotation>[]) => ({
    title: report.title,
    summary: truncate(report.summary, MAX_CHECK_SUMMARY, '\n\n…(truncated)'),
    annotations,
  });
  const { data: run } = await octokit.rest.checks.create({
    ...ownerRepo(target),
    name: CHECK_RUN_NAME,
    head_sha: sha,
    status: 'completed',
    conclusion: report.conclusion,
    completed_at: new Date().toISOString(),
    details_url: report.detailsUrl,
    output: output(batches[0] ?? []),
  });
  // Each request takes at most 50 annotations; updates append theirs to the run's.
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ ...ownerRepo(target), check_run_id: run.id, output: output(batch) });
  }
}

function checkAnnotation(annotation: Annotation) {
  return {
    path: annotation.path,
    start_line: annotation.line,
    end_line: annotation.line,
    annotation_level: annotation.level,
    title: truncate(annotation.title, MAX_ANNOTATION_TITLE),
    message: truncate(annotation.message, MAX_ANNOTATION_MESSAGE),
  };
}

function ownerRepo(target: RepoTarget): { owner: string; repo: string } {
  const [owner, repo, ...rest] = target.repo.split('/');
  if (!owner || !repo || rest.length) throw new Error(`a GitHub repository is "owner/name", got "${target.repo}"`);
  return { owner, repo };
}

/** GitHub also says `copied`, `changed` and `unchanged`: to the scanner those are modified files. */
function fileStatus(status: string): ChangedFile['status'] {
  return status === 'added' || status === 'removed' || status === 'renamed' ? status : 'modified';
}

/** The raw media type answers with text, or with bytes when GitHub does not call the file text. */
function textOf(data: unknown): string | null {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return null; // a folder listing: no file at that path
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * What Octokit logs, passed on without its extra arguments (request options, Authorization header
 * included). Octokit logs every failed request as an error; the caller gets the errors that matter
 * (and a 404 from readFile is an answer), so those go to debug.
 */
function octokitLog(log: ScmLog): ScmLog {
  return {
    debug: (message) => log.debug(String(message)),
    info: (message) => log.info(String(message)),
    warn: (message) => log.warn(String(message)),
    error: (message) => log.debug(String(message)),
  };
}

/**
 * A stand-in for the throttling plugin's Bottleneck group that lets writes through at once. The
 * plugin only ever calls `group.key(id).schedule(options, task, ...args)` on it.
 */
const unpaced = {
  key: () => ({
    schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(task(...args)),
  }),
} as never;
