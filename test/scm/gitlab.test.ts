import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitLabClient, GitLabRequestError, type GitLabClientOptions } from '../../shared/scm/gitlab.ts';
import type { ScmLog } from '../../shared/scm/options.ts';
import type { RepoTarget } from '../../shared/scm/port.ts';
import { GITLAB_ROUTES as R, startGitLabStandIn, type GitLabDiff, type GitLabStandIn } from '../support/gitlab-server.ts';

const HEAD = 'c0ffee'.repeat(6) + 'c0ff';
const MARKER = '<!-- shipwatch:pr-comment -->';
const TOKEN = 'glpat-test-token-never-logged';
const byPath: RepoTarget = { provider: 'gitlab', repo: 'acme/platform/shop', projectId: 'acme%2Fplatform%2Fshop' };
const byId: RepoTarget = { provider: 'gitlab', repo: 'acme/platform/shop', projectId: 71 };

function recordingLog(): ScmLog & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string) => void lines.push(message);
  return { lines, debug: push, info: push, warn: push, error: push };
}

const diffs = (n: number): GitLabDiff[] => Array.from({ length: n }, (_, i) => ({ new_path: `k8s/app-${i}.yaml`, new_file: true, diff: '@@ -0,0 +1,2 @@\n+kind: Pod\n+metadata: {}\n' }));

describe('GitLab adapter (gitbeaker against the stand-in)', () => {
  let gitlab: GitLabStandIn;
  const client = (extra: Partial<GitLabClientOptions> = {}) => createGitLabClient({ host: gitlab.url, token: TOKEN, retryAfterBaseMs: 1, log: recordingLog(), ...extra });

  beforeAll(async () => {
    gitlab = await startGitLabStandIn({
      tokens: [TOKEN],
      projects: {
        'acme/platform/shop': {
          id: 71,
          commits: {
            [HEAD]: {
              'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\n',
              'helm/values.yaml': 'replicas: 2\n',
              'Dockerfile': 'FROM alpine:3.20\n',
              '../../outside.yaml': 'kind: Secret\n',
              'bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
            },
          },
          mergeRequests: {
            5: { diffs: diffs(300) },
            6: {
              diffs: [
                { new_path: 'new.yaml', new_file: true, diff: '@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n' },
                { new_path: 'edited.yaml', diff: '@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n' },
                { new_path: 'gone.yaml', deleted_file: true, diff: '@@ -1 +0,0 @@\n-a: 1\n' },
                { old_path: 'old/moved.yaml', new_path: 'moved.yaml', renamed_file: true, diff: '' },
                { new_path: 'generated.json', too_large: true },
                { new_path: 'folded.yaml', collapsed: true },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(() => gitlab.stop());
  afterEach(() => {
    gitlab.requests.length = 0;
  });

  describe('changedFiles', () => {
    it('reads every page of a 300-file merge request', async () => {
      const files = await client().changedFiles(byPath, 5);
      expect(files).toHaveLength(300);
      expect(files[0]).toEqual({ path: 'k8s/app-0.yaml', status: 'added', changedLines: [1, 2] });
      expect(gitlab.requestsOf(R.diffs).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
      expect(gitlab.requestsOf(R.diffs)[0].path).toBe('/api/v4/projects/acme%2Fplatform%2Fshop/merge_requests/5/diffs');
    });

    it('maps new, deleted and renamed files; collapsed or too large diffs give unknown lines', async () => {
      expect(await client().changedFiles(byId, 6)).toEqual([
        { path: 'new.yaml', status: 'added', changedLines: [1, 2] },
        { path: 'edited.yaml', status: 'modified', changedLines: [2] },
        { path: 'gone.yaml', status: 'removed', changedLines: [] },
        { path: 'moved.yaml', status: 'renamed', previousPath: 'old/moved.yaml', changedLines: [] },
        { path: 'generated.json', status: 'modified', changedLines: null },
        { path: 'folded.yaml', status: 'modified', changedLines: null },
      ]);
      expect(gitlab.requestsOf(R.diffs)[0].path).toBe('/api/v4/projects/71/merge_requests/6/diffs');
    });

    it('sends the token in PRIVATE-TOKEN', async () => {
      await client().changedFiles(byId, 6);
      expect(gitlab.requests[0].headers['private-token']).toBe(TOKEN);
    });
  });

  describe('readFile', () => {
    it('returns the raw text at the ref (the path sent URL-encoded)', async () => {
      expect(await client().readFile(byPath, 'k8s/app.yaml', HEAD)).toBe('apiVersion: v1\nkind: Pod\n');
      const [request] = gitlab.requestsOf(R.rawFile);
      expect(request.path).toBe('/api/v4/projects/acme%2Fplatform%2Fshop/repository/files/k8s%2Fapp.yaml/raw');
      expect(request.query.ref).toBe(HEAD);
    });

    it('returns null for a missing file or ref', async () => {
      expect(await client().readFile(byPath, 'nope.yaml', HEAD)).toBeNull();
      expect(await client().readFile(byPath, 'k8s/app.yaml', 'f'.repeat(40))).toBeNull();
    });

    it('decodes binary answers instead of failing', async () => {
      expect(await client().readFile(byPath, 'bin/tool', HEAD)).toContain('ELF');
    });
  });

  describe('readTree', () => {
    it('reads the archive at the sha, strips the top folder, ignores `..` paths and binaries', async () => {
      const tree = await client().readTree(byPath, HEAD, () => true);
      expect(Object.fromEntries(tree)).toEqual({ 'Dockerfile': 'FROM alpine:3.20\n', 'helm/values.yaml': 'replicas: 2\n', 'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\n' });
      expect(gitlab.requestsOf(R.archive)[0].query.sha).toBe(HEAD);
    });

    it('keeps only what `wanted` selects', async () => {
      const tree = await client().readTree(byId, HEAD, (path) => path.startsWith('helm/'));
      expect([...tree.keys()]).toEqual(['helm/values.yaml']);
    });
  });

  describe('upsertComment', () => {
    it('creates the note once, then edits it in place', async () => {
      const c = client();
      await c.upsertComment(byPath, 5, MARKER, `${MARKER}\nfirst`);
      await c.upsertComment(byPath, 5, MARKER, `${MARKER}\nsecond`);
      await c.upsertComment(byPath, 5, MARKER, `${MARKER}\nsecond`);
      expect(gitlab.notesOf('acme/platform/shop', 5).map((n) => n.body)).toEqual([`${MARKER}\nsecond`]);
      expect(gitlab.requestsOf(R.createNote)).toHaveLength(1);
      expect(gitlab.requestsOf(R.editNote)).toHaveLength(1);
    });

    it('finds its note among many others, and ignores system notes that quote the marker', async () => {
      for (let i = 0; i < 150; i++) {
        gitlab.notes.push({ id: 10_000 + i, project: 'acme/platform/shop', merge_request_iid: 6, body: i === 3 ? `changed the description ${MARKER}` : `review ${i}`, system: i === 3, author: { username: 'dev' }, created_at: '', updated_at: '' });
      }
      const c = client();
      await c.upsertComment(byId, 6, MARKER, `${MARKER}\nv1`);
      await c.upsertComment(byId, 6, MARKER, `${MARKER}\nv2`);
      const ours = gitlab.notesOf('acme/platform/shop', 6).filter((n) => !n.system && n.body.includes(MARKER));
      expect(ours.map((n) => n.body)).toEqual([`${MARKER}\nv2`]);
    });
  });

  describe('reportStatus', () => {
    it('sets the commit status `shipwatch` with the title as description', async () => {
      const c = client();
      await c.reportStatus(byPath, HEAD, { conclusion: 'failure', title: '2 new findings at or above high', summary: '…', annotations: [{ path: 'a.yaml', line: 1, level: 'failure', title: 't', message: 'm' }], detailsUrl: 'https://gitlab.example/mr/5' });
      await c.reportStatus(byId, HEAD, { conclusion: 'success', title: 'x'.repeat(300), summary: '…', annotations: [] });
      expect(gitlab.statuses.map(({ id: _id, ...s }) => s)).toEqual([
        { project: 'acme/platform/shop', sha: HEAD, status: 'failed', name: 'shipwatch', description: '2 new findings at or above high', target_url: 'https://gitlab.example/mr/5' },
        { project: 'acme/platform/shop', sha: HEAD, status: 'success', name: 'shipwatch', description: `${'x'.repeat(254)}…`, target_url: undefined },
      ]);
    });
  });

  describe('retries', () => {
    it('retries a 502 and gets the answer', async () => {
      gitlab.failNext(R.diffs, 1);
      expect(await client().changedFiles(byId, 6)).toHaveLength(6);
      expect(gitlab.requestsOf(R.diffs).map((r) => r.status)).toEqual([502, 200]);
    });

    it('retries other 5xx answers (the whole operation) without a second note', async () => {
      const log = recordingLog();
      const c = client({ log });
      gitlab.failNext(R.rawFile, 1, 503);
      expect(await c.readFile(byId, 'k8s/app.yaml', HEAD)).toBe('apiVersion: v1\nkind: Pod\n');
      gitlab.failNext(R.createNote, 1, 500);
      await c.upsertComment(byId, 7, MARKER, `${MARKER}\nonce`);
      expect(gitlab.notesOf('acme/platform/shop', 7)).toHaveLength(1);
      gitlab.failNext(R.archive, 1, 504);
      expect((await c.readTree(byId, HEAD, () => true)).size).toBe(3);
      expect(log.lines.filter((l) => /retry 1 of 3/.test(l))).toHaveLength(3);
      expect(log.lines.join('\n')).not.toContain(TOKEN);
    });

    it('waits out a rate limit (429)', async () => {
      gitlab.rateLimitNext(R.createStatus, 2);
      await client().reportStatus(byId, HEAD, { conclusion: 'success', title: 'ok', summary: '', annotations: [] });
      expect(gitlab.requestsOf(R.createStatus).map((r) => r.status)).toEqual([429, 429, 201]);
    });

    it('gives up after the configured retries with an error that carries no credentials', async () => {
      gitlab.failNext(R.rawFile, 3, 500);
      const failure = await client({ retries: 2 })
        .readFile(byId, 'k8s/app.yaml', HEAD)
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(GitLabRequestError);
      expect(failure).toMatchObject({ status: 500 });
      expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain(TOKEN);
      expect(gitlab.requestsOf(R.rawFile)).toHaveLength(3);
    });

    it('does not retry client errors', async () => {
      await expect(createGitLabClient({ host: gitlab.url, token: 'wrong', retryAfterBaseMs: 1 }).changedFiles(byId, 6)).rejects.toMatchObject({ status: 401 });
      expect(gitlab.requests).toHaveLength(1);
    });
  });
});
