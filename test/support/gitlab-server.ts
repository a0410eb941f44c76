/**
 * A stand-in for the GitLab REST API (v4), enough for Shipwatch's GitLab adapter driven by the
 * real gitbeaker: merge request diffs, raw files, repository archives, merge request notes and
 * commit statuses. Every request is recorded; `failNext` and `rateLimitNext` script outages.
 *
 *   const gitlab = await startGitLabStandIn({ projects: { 'acme/shop': { id: 7, commits: { [sha]: { … } } } } });
 *   const client = createGitLabClient({ host: gitlab.url, token: 't', retryAfterBaseMs: 1 });
 */
import { isUtf8 } from 'node:buffer';
import { intParam, json, linkHeader, pageOf, RoutedStandIn, type RecordedRequest, type Reply, type RouteRequest, type Routes } from './http-stand-in.ts';
import { sourceArchive } from './tar.ts';

export type { RecordedRequest };

export interface GitLabDiff {
  new_path: string;
  /** Defaults to new_path. */
  old_path?: string;
  new_file?: boolean;
  deleted_file?: boolean;
  renamed_file?: boolean;
  diff?: string;
  too_large?: boolean;
  collapsed?: boolean;
}

export interface GitLabProjectFixture {
  id: number;
  /** The repository's files at each commit sha (raw files and archives). */
  commits?: Record<string, Record<string, string | Buffer>>;
  /** Merge requests by iid: their diffs. */
  mergeRequests?: Record<number, { diffs: GitLabDiff[] }>;
}

export interface GitLabStandInOptions {
  /** By path (`group/project`). The object stays live: tests may add commits or merge requests later. */
  projects?: Record<string, GitLabProjectFixture>;
  /** Tokens accepted in `PRIVATE-TOKEN` (or as Bearer). Without any, every caller is let in. */
  tokens?: string[];
}

export interface StoredNote {
  id: number;
  project: string;
  merge_request_iid: number;
  body: string;
  system: boolean;
  author: { username: string };
  created_at: string;
  updated_at: string;
}

export interface StoredCommitStatus {
  id: number;
  project: string;
  sha: string;
  status: string;
  name: string;
  description?: string;
  target_url?: string;
}

export const GITLAB_ROUTES = {
  diffs: 'GET /api/v4/projects/:id/merge_requests/:merge_request_iid/diffs',
  rawFile: 'GET /api/v4/projects/:id/repository/files/:file_path/raw',
  archive: 'GET /api/v4/projects/:id/repository/archive.tar.gz',
  listNotes: 'GET /api/v4/projects/:id/merge_requests/:merge_request_iid/notes',
  createNote: 'POST /api/v4/projects/:id/merge_requests/:merge_request_iid/notes',
  editNote: 'PUT /api/v4/projects/:id/merge_requests/:merge_request_iid/notes/:note_id',
  createStatus: 'POST /api/v4/projects/:id/statuses/:sha',
} as const;

export type GitLabRoute = (typeof GITLAB_ROUTES)[keyof typeof GITLAB_ROUTES];

const COMMIT_STATES = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'];

export class GitLabStandIn extends RoutedStandIn<GitLabRoute> {
  readonly notes: StoredNote[] = [];
  readonly statuses: StoredCommitStatus[] = [];
  private nextId = 500;

  constructor(private readonly options: GitLabStandInOptions = {}) {
    super();
  }

  get projects(): Record<string, GitLabProjectFixture> {
    return (this.options.projects ??= {});
  }

  /** The next `count` requests of `route` are refused with 429 and `retry-after: 1`. */
  rateLimitNext(route: GitLabRoute, count = 1): void {
    this.http.interruptNext(route, count, json(429, { message: '429 Too Many Requests' }, { 'retry-after': '1' }));
  }

  /** The SHIPWATCH_* variables that point `scmClientsFromEnv` here. */
  env(token = this.options.tokens?.[0] ?? 'stand-in-token'): Record<string, string> {
    return { SHIPWATCH_GITLAB_URL: this.url, SHIPWATCH_GITLAB_TOKEN: token };
  }

  notesOf(project: string, iid: number): StoredNote[] {
    return this.notes.filter((n) => n.project === project && n.merge_request_iid === iid);
  }

  protected routes(): Routes {
    const R = GITLAB_ROUTES;
    return {
      [R.diffs]: (req) => {
        const mr = this.project(req)?.fixture.mergeRequests?.[Number(req.params.merge_request_iid)];
        if (!mr) return notFound('Merge Request');
        const diffs = mr.diffs.map((d) => ({
          old_path: d.old_path ?? d.new_path,
          new_path: d.new_path,
          a_mode: d.new_file ? '0' : '100644',
          b_mode: d.deleted_file ? '0' : '100644',
          new_file: d.new_file ?? false,
          renamed_file: d.renamed_file ?? false,
          deleted_file: d.deleted_file ?? false,
          generated_file: false,
          too_large: d.too_large ?? false,
          collapsed: d.collapsed ?? false,
          diff: d.too_large || d.collapsed ? '' : (d.diff ?? ''),
        }));
        return paginated(req, diffs);
      },

      [R.rawFile]: (req) => {
        const ref = req.query.get('ref');
        if (!ref) return json(400, { error: 'ref is missing' });
        const content = this.project(req)?.fixture.commits?.[ref]?.[req.params.file_path];
        if (content === undefined) return notFound('File');
        const bytes = typeof content === 'string' ? Buffer.from(content) : content;
        return { status: 200, body: bytes, headers: { 'content-type': isUtf8(bytes) ? 'text/plain; charset=utf-8' : 'application/octet-stream' } };
      },

      [R.archive]: (req) => {
        const project = this.project(req);
        const sha = req.query.get('sha') ?? '';
        const files = project?.fixture.commits?.[sha];
        if (!project || !files) return notFound('Commit');
        const top = `${project.path.split('/').pop()}-${sha}-${sha}`;
        return { status: 200, body: sourceArchive(top, files, sha), headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${top}.tar.gz"` } };
      },

      [R.listNotes]: (req) => {
        const project = this.project(req);
        if (!project) return notFound('Project');
        const ascending = req.query.get('sort') === 'asc';
        // GitLab lists notes newest first unless asked otherwise.
        const notes = [...this.notesOf(project.path, Number(req.params.merge_request_iid))].sort((a, b) => (ascending ? a.id - b.id : b.id - a.id));
        return paginated(req, notes);
      },

      [R.createNote]: (req) => {
        const project = this.project(req);
        if (!project) return notFound('Project');
        const body = bodyField(req, 'body');
        if (typeof body !== 'string' || !body) return json(400, { message: 'body is missing' });
        const now = new Date().toISOString();
        const note: StoredNote = { id: this.nextId++, project: project.path, merge_request_iid: Number(req.params.merge_request_iid), body, system: false, author: { username: 'shipwatch-bot' }, created_at: now, updated_at: now };
        this.notes.push(note);
        return json(201, { ...note, noteable_type: 'MergeRequest' });
      },

      [R.editNote]: (req) => {
        const project = this.project(req);
        const note = this.notes.find((n) => n.id === Number(req.params.note_id) && n.project === project?.path && n.merge_request_iid === Number(req.params.merge_request_iid));
        if (!note) return notFound('Note');
        const body = bodyField(req, 'body');
        if (typeof body !== 'string' || !body) return json(400, { message: 'body is missing' });
        note.body = body;
        note.updated_at = new Date().toISOString();
        return json(200, { ...note, noteable_type: 'MergeRequest' });
      },

      [R.createStatus]: (req) => {
        const project = this.project(req);
        if (!project) return notFound('Project');
        const state = String(bodyField(req, 'state'));
        if (!COMMIT_STATES.includes(state)) return json(400, { error: 'state does not have a valid value' });
        const description = bodyField(req, 'description') as string | undefined;
        if (description !== undefined && description.length > 255) return json(400, { message: { description: ['is too long (maximum is 255 characters)'] } });
        const status: StoredCommitStatus = {
          id: this.nextId++,
          project: project.path,
          sha: req.params.sha,
          status: state,
          name: String(bodyField(req, 'name') ?? 'default'),
          description,
          target_url: bodyField(req, 'target_url') as string | undefined,
        };
        this.statuses.push(status);
        return json(201, status);
      },
    };
  }

  /** `:id` is a numeric id or the URL-encoded path. */
  private project(req: RouteRequest): { path: string; fixture: GitLabProjectFixture } | undefined {
    const id = req.params.id;
    for (const [path, fixture] of Object.entries(this.projects)) {
      if (path === id || String(fixture.id) === id) return { path, fixture };
    }
    return undefined;
  }

  protected authorize(_route: string, req: RouteRequest): Reply | null {
    const tokens = this.options.tokens;
    if (!tokens) return null;
    const bearer = /^bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = (req.headers['private-token'] as string | undefined) ?? bearer;
    return token && tokens.includes(token) ? null : json(401, { message: '401 Unauthorized' });
  }
}

export async function startGitLabStandIn(options: GitLabStandInOptions = {}): Promise<GitLabStandIn> {
  return new GitLabStandIn(options).start();
}

const notFound = (what: string) => json(404, { message: `404 ${what} Not Found` });
const bodyField = (req: RouteRequest, name: string) => (req.body as Record<string, unknown> | undefined)?.[name];

/** GitLab offset pagination: `per_page` (default 20, at most 100), `page`, the x-* headers and a Link header. */
function paginated(req: RouteRequest, items: unknown[]): Reply {
  const perPage = intParam(req.query, 'per_page', 20, 100);
  const page = intParam(req.query, 'page', 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-next-page': page < totalPages ? String(page + 1) : '',
    'x-prev-page': page > 1 ? String(page - 1) : '',
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
  };
  const link = linkHeader(req.origin, req.path, req.query, page, totalPages);
  if (link) headers.link = link;
  return json(200, pageOf(items, page, perPage), headers);
}
