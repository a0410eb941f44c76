/**
 * A stand-in for the GitHub REST API, enough for Shipwatch's GitHub adapter driven by the real
 * Octokit: pull request files, file contents, tarballs (through a codeload-style redirect), issue
 * comments, check runs, commit statuses and GitHub App installation tokens. Every request is
 * recorded; `failNext` and `rateLimitNext` script outages.
 *
 *   const github = await startGitHubStandIn({ repos: { 'acme/shop': { commits: { [sha]: { 'k8s/app.yaml': '…' } } } } });
 *   const client = createGitHubClient({ baseUrl: github.url, token: 't', retryAfterBaseMs: 1, paceWrites: false });
 *   …
 *   await github.stop();
 */
import { isUtf8 } from 'node:buffer';
import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { intParam, json, linkHeader, pageOf, RoutedStandIn, type RecordedRequest, type Reply, type RouteRequest, type Routes } from './http-stand-in.ts';
import { sourceArchive } from './tar.ts';

export type { RecordedRequest };

export interface GitHubPullFile {
  filename: string;
  /** added, modified, removed, renamed, copied, changed, unchanged (default modified). */
  status?: string;
  patch?: string;
  previous_filename?: string;
}

export interface GitHubRepoFixture {
  /** The repository's files at each commit sha (what the contents API and tarballs serve). */
  commits?: Record<string, Record<string, string | Buffer>>;
  /** Pull requests by number: the files GitHub lists for each. */
  pulls?: Record<number, { files: GitHubPullFile[] }>;
}

export interface GitHubAppFixture {
  appId: number;
  /** The App's public key: JWTs must verify with it. */
  publicKey: KeyObject | string;
  /** Installation id -> the `owner/repo`s it covers. */
  installations: Record<number, string[]>;
}

export interface GitHubStandInOptions {
  /** By `owner/repo`. The object stays live: tests may add commits or pulls later. */
  repos?: Record<string, GitHubRepoFixture>;
  /** Tokens accepted for every repository. Without tokens and without an App, any caller is let in. */
  tokens?: string[];
  app?: GitHubAppFixture;
  /** Refuse check runs to callers that are not an App installation, as GitHub does for personal tokens. */
  checkRunsRequireApp?: boolean;
}

export interface StoredComment {
  id: number;
  repo: string;
  issue_number: number;
  body: string;
  user: { login: string; type: string };
  created_at: string;
  updated_at: string;
}

export interface StoredAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  title?: string;
  message: string;
}

export interface StoredCheckRun {
  id: number;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  details_url?: string;
  output: { title?: string; summary?: string };
  /** Every annotation the run received, creation and updates together. */
  annotations: StoredAnnotation[];
}

export interface StoredStatus {
  repo: string;
  sha: string;
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

/** GitHub's own limits, enforced so that the adapter's batching is checked. */
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_SUMMARY = 65_535;
const MAX_COMMENT = 65_536;
/** GitHub lists at most 3000 files of a pull request. */
const MAX_PULL_FILES = 3000;

export const GITHUB_ROUTES = {
  accessToken: 'POST /app/installations/{installation_id}/access_tokens',
  pullFiles: 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  contents: 'GET /repos/{owner}/{repo}/contents/{path}',
  tarball: 'GET /repos/{owner}/{repo}/tarball/{ref}',
  codeload: 'GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}',
  listComments: 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  createComment: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  updateComment: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  createCheckRun: 'POST /repos/{owner}/{repo}/check-runs',
  updateCheckRun: 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
  createStatus: 'POST /repos/{owner}/{repo}/statuses/{sha}',
} as const;

export type GitHubRoute = (typeof GITHUB_ROUTES)[keyof typeof GITHUB_ROUTES];

export class GitHubStandIn extends RoutedStandIn<GitHubRoute> {
  readonly comments: StoredComment[] = [];
  readonly checkRuns: StoredCheckRun[] = [];
  readonly statuses: StoredStatus[] = [];
  /** Installation tokens handed out, with their installation. */
  readonly issuedTokens = new Map<string, number>();
  private nextId = 1000;

  constructor(private readonly options: GitHubStandInOptions = {}) {
    super();
  }

  get repos(): Record<string, GitHubRepoFixture> {
    return (this.options.repos ??= {});
  }

  /** The next `count` requests of `route` hit a secondary rate limit (403, `retry-after: 1`). */
  rateLimitNext(route: GitHubRoute, count = 1): void {
    this.http.interruptNext(
      route,
      count,
      json(
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': '1' },
      ),
    );
  }

  /** The SHIPWATCH_* variables that point `scmClientsFromEnv` here with a token. */
  env(token = this.options.tokens?.[0] ?? 'stand-in-token'): Record<string, string> {
    return { SHIPWATCH_GITHUB_API_URL: this.url, SHIPWATCH_GITHUB_TOKEN: token };
  }

  commentsOf(repo: string, issueNumber: number): StoredComment[] {
    return this.comments.filter((c) => c.repo === repo && c.issue_number === issueNumber);
  }

  protected routes(): Routes {
    const R = GITHUB_ROUTES;
    return {
      [R.accessToken]: (req) => this.mintInstallationToken(req),

      [R.pullFiles]: (req) => {
        const pull = this.repo(req)?.pulls?.[Number(req.params.pull_number)];
        if (!pull) return notFound();
        const files = pull.files.slice(0, MAX_PULL_FILES).map((f) => ({
          sha: 'f'.repeat(40),
          filename: f.filename,
          status: f.status ?? 'modified',
          additions: (f.patch?.match(/^\+/gm) ?? []).length,
          deletions: (f.patch?.match(/^-/gm) ?? []).length,
          changes: 0,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
          ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
        }));
        return paginated(req, files);
      },

      [R.contents]: (req) => {
        const files = this.repo(req)?.commits?.[req.query.get('ref') ?? ''];
        if (!files) return notFound();
        const path = req.params.path.replace(/\/+$/, '');
        const content = files[path];
        const raw = /raw/.test(String(req.headers.accept));
        if (content === undefined) {
          const inside = Object.keys(files).filter((p) => p.startsWith(`${path}/`));
          if (!inside.length) return notFound();
          return json(200, [...new Set(inside.map((p) => p.slice(path.length + 1).split('/')[0]))].map((name) => ({ name, path: `${path}/${name}`, type: 'file' })));
        }
        const bytes = typeof content === 'string' ? Buffer.from(content) : content;
        if (raw) return { status: 200, body: bytes, headers: { 'content-type': isUtf8(bytes) ? 'text/plain; charset=utf-8' : 'application/octet-stream' } };
        return json(200, { type: 'file', encoding: 'base64', path, name: path.split('/').pop(), size: bytes.length, content: bytes.toString('base64') });
      },

      [R.tarball]: (req) => {
        if (!this.repo(req)?.commits?.[req.params.ref]) return notFound();
        const { owner, repo, ref } = req.params;
        return { status: 302, headers: { location: `${req.origin}/_codeload/${owner}/${repo}/legacy.tar.gz/${ref}` } };
      },

      [R.codeload]: (req) => {
        const { owner, repo, ref } = req.params;
        const files = this.repo(req)?.commits?.[ref];
        if (!files) return notFound();
        const archive = sourceArchive(`${owner}-${repo}-${ref.slice(0, 7)}`, files, ref);
        return { status: 200, body: archive, headers: { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${owner}-${repo}-${ref.slice(0, 7)}.tar.gz` } };
      },

      [R.listComments]: (req) => paginated(req, this.commentsOf(repoKey(req), Number(req.params.issue_number))),

      [R.createComment]: (req) => {
        const body = bodyField(req, 'body');
        if (typeof body !== 'string') return unprocessable('body is required');
        if (body.length > MAX_COMMENT) return unprocessable('body is too long (maximum is 65536 characters)');
        const now = new Date().toISOString();
        const comment: StoredComment = { id: this.nextId++, repo: repoKey(req), issue_number: Number(req.params.issue_number), body, user: { login: 'shipwatch[bot]', type: 'Bot' }, created_at: now, updated_at: now };
        this.comments.push(comment);
        return json(201, comment);
      },

      [R.updateComment]: (req) => {
        const comment = this.comments.find((c) => c.id === Number(req.params.comment_id) && c.repo === repoKey(req));
        if (!comment) return notFound();
        const body = bodyField(req, 'body');
        if (typeof body !== 'string') return unprocessable('body is required');
        if (body.length > MAX_COMMENT) return unprocessable('body is too long (maximum is 65536 characters)');
        comment.body = body;
        comment.updated_at = new Date().toISOString();
        return json(200, comment);
      },

      [R.createCheckRun]: (req) => {
        if (this.options.checkRunsRequireApp && !this.isInstallationCall(req)) {
          return json(403, { message: 'You must authenticate via a GitHub App.', documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run' });
        }
        const input = (req.body ?? {}) as Record<string, unknown>;
        const output = (input.output ?? {}) as Record<string, unknown>;
        const invalid = checkOutputProblem(output);
        if (invalid) return unprocessable(invalid);
        if (typeof input.name !== 'string' || typeof input.head_sha !== 'string') return unprocessable('name and head_sha are required');
        const run: StoredCheckRun = {
          id: this.nextId++,
          repo: repoKey(req),
          name: input.name,
          head_sha: input.head_sha,
          status: String(input.status ?? 'queued'),
          conclusion: input.conclusion as string | undefined,
          details_url: input.details_url as string | undefined,
          output: { title: output.title as string | undefined, summary: output.summary as string | undefined },
          annotations: [...((output.annotations as StoredAnnotation[] | undefined) ?? [])],
        };
        this.checkRuns.push(run);
        return json(201, { ...run, annotations: undefined, output: { ...run.output, annotations_count: run.annotations.length } });
      },

      [R.updateCheckRun]: (req) => {
        const run = this.checkRuns.find((r) => r.id === Number(req.params.check_run_id) && r.repo === repoKey(req));
        if (!run) return notFound();
        const input = (req.body ?? {}) as Record<string, unknown>;
        const output = input.output as Record<string, unknown> | undefined;
        if (output) {
          const invalid = checkOutputProblem(output);
          if (invalid) return unprocessable(invalid);
          run.output = { title: output.title as string, summary: output.summary as string };
          run.annotations.push(...((output.annotations as StoredAnnotation[] | undefined) ?? []));
        }
        if (typeof input.conclusion === 'string') run.conclusion = input.conclusion;
        return json(200, { ...run, annotations: undefined, output: { ...run.output, annotations_count: run.annotations.length } });
      },

      [R.createStatus]: (req) => {
        const input = (req.body ?? {}) as Record<string, unknown>;
        if (!['error', 'failure', 'pending', 'success'].includes(String(input.state))) return unprocessable('state is not included in the list');
        if (typeof input.description === 'string' && input.description.length > 140) return unprocessable('description is too long (maximum is 140 characters)');
        const status: StoredStatus = {
          repo: repoKey(req),
          sha: req.params.sha,
          state: String(input.state),
          context: String(input.context ?? 'default'),
          description: input.description as string | undefined,
          target_url: input.target_url as string | undefined,
        };
        this.statuses.push(status);
        return json(201, { id: this.nextId++, ...status });
      },
    };
  }

  private repo(req: RouteRequest): GitHubRepoFixture | undefined {
    return this.repos[repoKey(req)];
  }

  /** Who may call what: the codeload download carries its own grant; the rest needs a known token. */
  protected authorize(route: string, req: RouteRequest): Reply | null {
    if (route === GITHUB_ROUTES.codeload || route === GITHUB_ROUTES.accessToken) return null;
    const { tokens, app } = this.options;
    if (!tokens && !app) return null;
    const token = credential(req);
    if (token === null) return json(401, { message: 'Requires authentication' });
    if (tokens?.includes(token)) return null;
    const installation = this.issuedTokens.get(token);
    if (installation === undefined) return json(401, { message: 'Bad credentials' });
    // An installation sees only its repositories; GitHub answers 404 for the others.
    if (req.params.owner && !app?.installations[installation]?.includes(repoKey(req))) return notFound();
    return null;
  }

  private isInstallationCall(req: RouteRequest): boolean {
    const token = credential(req);
    return token !== null && this.issuedTokens.has(token);
  }

  /** `POST /app/installations/{id}/access_tokens`: needs a JWT signed with the App's private key. */
  private mintInstallationToken(req: RouteRequest): Reply {
    const app = this.options.app;
    if (!app) return notFound();
    const jwt = credential(req);
    const claims = jwt === null ? null : verifiedJwt(jwt, app.publicKey);
    if (!claims || String(claims.iss) !== String(app.appId)) {
      return json(401, { message: 'A JSON web token could not be decoded' });
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp - now > 600) {
      return json(401, { message: "'Expiration time' claim ('exp') is too far in the future or in the past" });
    }
    const installationId = Number(req.params.installation_id);
    if (!app.installations[installationId]) return notFound();
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    this.issuedTokens.set(token, installationId);
    return json(201, {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { checks: 'write', contents: 'read', pull_requests: 'write', statuses: 'write' },
      repository_selection: 'selected',
    });
  }
}

export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  return new GitHubStandIn(options).start();
}

const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
const unprocessable = (message: string) => json(422, { message: 'Validation Failed', errors: [{ message }] });
const repoKey = (req: RouteRequest) => `${req.params.owner}/${req.params.repo}`;
const bodyField = (req: RouteRequest, name: string) => (req.body as Record<string, unknown> | undefined)?.[name];

/** GitHub pagination: `per_page` (default 30, at most 100), `page`, and a Link header. */
function paginated(req: RouteRequest, items: unknown[]): Reply {
  const perPage = intParam(req.query, 'per_page', 30, 100);
  const page = intParam(req.query, 'page', 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = linkHeader(req.origin, req.path, req.query, page, lastPage);
  return json(200, pageOf(items, page, perPage), link ? { link } : {});
}

function checkOutputProblem(output: Record<string, unknown>): string | null {
  const annotations = output.annotations;
  if (annotations !== undefined && (!Array.isArray(annotations) || annotations.length > MAX_ANNOTATIONS_PER_REQUEST)) {
    return `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request`;
  }
  if (typeof output.summary === 'string' && output.summary.length > MAX_SUMMARY) return 'output.summary is too long (maximum is 65535 characters)';
  if (Object.keys(output).length && (typeof output.title !== 'string' || typeof output.summary !== 'string')) return 'output needs a title and a summary';
  for (const a of (annotations as Record<string, unknown>[] | undefined) ?? []) {
    if (typeof a.path !== 'string' || typeof a.start_line !== 'number' || typeof a.end_line !== 'number' || typeof a.message !== 'string') return 'annotation is missing path, start_line, end_line or message';
    if (!['notice', 'warning', 'failure'].includes(String(a.annotation_level))) return 'annotation_level is not included in the list';
  }
  return null;
}

/** The credential of `Authorization: token X` or `Authorization: Bearer X`. */
function credential(req: RouteRequest): string | null {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
  return match ? match[1] : null;
}

/** The claims of an RS256 JWT whose signature `publicKey` verifies, else null. */
function verifiedJwt(jwt: string, publicKey: KeyObject | string): Record<string, unknown> | null {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return null;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'RS256') return null;
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return null;
    return JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    return null;
  }
}
