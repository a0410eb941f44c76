import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClientOptions } from '../../shared/scm/github.ts';
import type { ScmLog } from '../../shared/scm/options.ts';
import type { Annotation, RepoTarget } from '../../shared/scm/port.ts';
import { GITHUB_ROUTES as R, startGitHubStandIn, type GitHubPullFile, type GitHubStandIn } from '../support/github-server.ts';

const HEAD = '1f'.repeat(20);
const MARKER = '<!-- shipwatch:pr-comment -->';
const shop: RepoTarget = { provider: 'github', repo: 'acme/shop', projectId: 'acme/shop' };
const TOKEN = 'ghp_test_token_never_logged';

/** Messages the adapter logged, to check what it says (and that no credential is in it). */
function recordingLog(): ScmLog & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string) => void lines.push(message);
  return { lines, debug: push, info: push, warn: push, error: push };
}

const fastRetries = { retryAfterBaseMs: 1, paceWrites: false } as const;
const tokenClient = (github: GitHubStandIn, extra: Partial<GitHubClientOptions> = {}) =>
  createGitHubClient({ baseUrl: github.url, token: TOKEN, ...fastRetries, log: recordingLog(), ...extra } as GitHubClientOptions);

const pullFiles = (n: number): GitHubPullFile[] =>
  Array.from({ length: n }, (_, i) => ({ filename: `k8s/app-${i}.yaml`, status: 'added', patch: `@@ -0,0 +1,2 @@\n+kind: Pod\n+metadata: {name: p${i}}` }));

const annotations = (n: number): Annotation[] =>
  Array.from({ length: n }, (_, i) => ({ path: 'k8s/app.yaml', line: i + 1, level: 'failure', title: `K8S-001 finding ${i}`, message: `message ${i}` }));

describe('GitHub adapter (Octokit against the stand-in)', () => {
  let github: GitHubStandIn;

  beforeAll(async () => {
    github = await startGitHubStandIn({
      tokens: [TOKEN],
      repos: {
        'acme/shop': {
          commits: {
            [HEAD]: {
              'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\n',
              'charts/web/templates/deploy.yaml': 'kind: Deployment\n',
              'docs/read me #1.md': 'spaces and a hash\n',
              'Dockerfile': 'FROM alpine:3.20\n',
              '../escape.yaml': 'kind: Secret\n',
              'img/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
              'latin1.yaml': Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]),
              [`deep/${'nested-folder/'.repeat(12)}manifest.yaml`]: 'kind: ConfigMap\n',
              'big.yaml': 'a'.repeat(5 * 1024 * 1024 + 1),
            },
          },
          pulls: {
            1: { files: pullFiles(300) },
            2: {
              files: [
                { filename: 'new.yaml', status: 'added', patch: '@@ -0,0 +1,3 @@\n+a: 1\n+b: 2\n+c: 3' },
                { filename: 'edited.yaml', status: 'modified', patch: '@@ -1,3 +1,4 @@\n a: 1\n-b: 2\n+b: 3\n+d: 4\n c: 3' },
                { filename: 'gone.yaml', status: 'removed', patch: '@@ -1,1 +0,0 @@\n-a: 1' },
                { filename: 'moved.yaml', status: 'renamed', previous_filename: 'old/moved.yaml' },
                { filename: 'copy.yaml', status: 'copied', previous_filename: 'orig.yaml', patch: '' },
                { filename: 'mode.sh', status: 'changed' },
                { filename: 'huge.json', status: 'modified' },
              ],
            },
            3: { files: pullFiles(3100) },
          },
        },
        'acme/other': { commits: { [HEAD]: { 'a.yaml': 'kind: Pod\n' } }, pulls: { 9: { files: pullFiles(1) } } },
      },
    });
  });
  afterAll(() => github.stop());
  afterEach(() => {
    github.requests.length = 0;
  });

  describe('changedFiles', () => {
    it('reads every page of a 300-file pull request, 100 at a time', async () => {
      const files = await tokenClient(github).changedFiles(shop, 1);
      expect(files).toHaveLength(300);
      expect(files[299]).toEqual({ path: 'k8s/app-299.yaml', status: 'added', changedLines: [1, 2] });
      const pages = github.requestsOf(R.pullFiles);
      expect(pages.map((r) => [r.query.per_page, r.query.page ?? '1'])).toEqual([
        ['100', '1'],
        ['100', '2'],
        ['100', '3'],
      ]);
    });

    it('maps statuses, renames and diffs; other statuses count as modified, a missing patch as unknown lines', async () => {
      const files = await tokenClient(github).changedFiles(shop, 2);
      expect(files).toEqual([
        { path: 'new.yaml', status: 'added', changedLines: [1, 2, 3] },
        { path: 'edited.yaml', status: 'modified', changedLines: [2, 3] },
        { path: 'gone.yaml', status: 'removed', changedLines: [] },
        { path: 'moved.yaml', status: 'renamed', previousPath: 'old/moved.yaml', changedLines: null },
        { path: 'copy.yaml', status: 'modified', previousPath: 'orig.yaml', changedLines: [] },
        { path: 'mode.sh', status: 'modified', changedLines: null },
        { path: 'huge.json', status: 'modified', changedLines: null },
      ]);
    });

    it('stops where GitHub stops listing: 3000 files', async () => {
      expect(await tokenClient(github).changedFiles(shop, 3)).toHaveLength(3000);
    });

    it('sends the token, and fails on a pull request that does not exist', async () => {
      await expect(tokenClient(github).changedFiles(shop, 404)).rejects.toMatchObject({ status: 404 });
      expect(github.requests[0].headers.authorization).toBe(`token ${TOKEN}`);
    });
  });

  describe('readFile', () => {
    it('returns the raw text at the ref', async () => {
      const client = tokenClient(github);
      expect(await client.readFile(shop, 'k8s/app.yaml', HEAD)).toBe('apiVersion: v1\nkind: Pod\n');
      expect(await client.readFile(shop, 'docs/read me #1.md', HEAD)).toBe('spaces and a hash\n');
      expect(github.requestsOf(R.contents)[0].headers.accept).toMatch(/raw/);
    });

    it('returns null for a missing file, an unknown ref and a folder', async () => {
      const client = tokenClient(github);
      expect(await client.readFile(shop, 'nope.yaml', HEAD)).toBeNull();
      expect(await client.readFile(shop, 'k8s/app.yaml', '0'.repeat(40))).toBeNull();
      expect(await client.readFile(shop, 'k8s', HEAD)).toBeNull();
    });

    it('keeps bad bytes visible (U+FFFD) for the scanner to report', async () => {
      expect(await tokenClient(github).readFile(shop, 'latin1.yaml', HEAD)).toBe('k: \ufffd\n');
    });
  });

  describe('readTree', () => {
    it('follows the tarball redirect, strips the top folder and keeps the wanted text files', async () => {
      const tree = await tokenClient(github).readTree(shop, HEAD, (path) => path.endsWith('.yaml'));
      expect([...tree.keys()].sort()).toEqual(['charts/web/templates/deploy.yaml', `deep/${'nested-folder/'.repeat(12)}manifest.yaml`, 'k8s/app.yaml']);
      expect(tree.get('k8s/app.yaml')).toBe('apiVersion: v1\nkind: Pod\n');
      expect(github.requestsOf(R.tarball)).toHaveLength(1);
      expect(github.requestsOf(R.codeload)).toHaveLength(1);
    });

    it('leaves out paths that climb out, files over 5 MB, binary and non-UTF-8 files', async () => {
      const tree = await tokenClient(github).readTree(shop, HEAD, () => true);
      expect([...tree.keys()].sort()).toEqual([
        'Dockerfile',
        'charts/web/templates/deploy.yaml',
        `deep/${'nested-folder/'.repeat(12)}manifest.yaml`,
        'docs/read me #1.md',
        'k8s/app.yaml',
      ]);
    });

    it('takes a smaller file cap', async () => {
      const tree = await tokenClient(github, { maxTreeFileBytes: 20 }).readTree(shop, HEAD, () => true);
      expect([...tree.keys()].sort()).toEqual(['Dockerfile', 'charts/web/templates/deploy.yaml', 'docs/read me #1.md', `deep/${'nested-folder/'.repeat(12)}manifest.yaml`].sort());
    });

    it('fails for an unknown commit', async () => {
      await expect(tokenClient(github).readTree(shop, 'f'.repeat(40), () => true)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('upsertComment', () => {
    it('creates the comment once, then edits it in place', async () => {
      const client = tokenClient(github);
      await client.upsertComment(shop, 10, MARKER, `${MARKER}\nfirst`);
      await client.upsertComment(shop, 10, MARKER, `${MARKER}\nsecond`);
      const comments = github.commentsOf('acme/shop', 10);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(`${MARKER}\nsecond`);
      expect(github.requestsOf(R.createComment)).toHaveLength(1);
      expect(github.requestsOf(R.updateComment)).toHaveLength(1);
    });

    it('does not write when the body is unchanged (a redelivered job)', async () => {
      const client = tokenClient(github);
      await client.upsertComment(shop, 11, MARKER, `${MARKER}\nsame`);
      await client.upsertComment(shop, 11, MARKER, `${MARKER}\nsame`);
      expect(github.requestsOf(R.createComment)).toHaveLength(1);
      expect(github.requestsOf(R.updateComment)).toHaveLength(0);
    });

    it('finds its comment on a later page among other people’s comments', async () => {
      const client = tokenClient(github);
      for (let i = 0; i < 130; i++) github.comments.push({ id: 90_000 + i, repo: 'acme/shop', issue_number: 12, body: `human ${i}`, user: { login: 'dev', type: 'User' }, created_at: '', updated_at: '' });
      await client.upsertComment(shop, 12, MARKER, `${MARKER}\nv1`);
      await client.upsertComment(shop, 12, MARKER, `${MARKER}\nv2`);
      expect(github.commentsOf('acme/shop', 12).filter((c) => c.body.includes(MARKER)).map((c) => c.body)).toEqual([`${MARKER}\nv2`]);
    });

    it('adds the marker when the body lacks it, and cuts bodies to GitHub’s 65536 characters', async () => {
      const client = tokenClient(github);
      await client.upsertComment(shop, 13, MARKER, 'no marker here');
      await client.upsertComment(shop, 14, MARKER, `${MARKER}\n${'x'.repeat(70_000)}`);
      expect(github.commentsOf('acme/shop', 13)[0].body).toBe(`${MARKER}\nno marker here`);
      const long = github.commentsOf('acme/shop', 14)[0].body;
      expect(long.length).toBe(65_536);
      expect(long.startsWith(MARKER)).toBe(true);
      expect(long.endsWith('…(truncated)')).toBe(true);
    });
  });

  describe('reportStatus', () => {
    it('creates one check run with 50 annotations, then adds the rest in updates of at most 50', async () => {
      await tokenClient(github).reportStatus(shop, HEAD, { conclusion: 'failure', title: '3 new findings at or above high', summary: '### Shipwatch', annotations: annotations(120), detailsUrl: 'https://example.test/pr/1' });
      const creates = github.requestsOf(R.createCheckRun);
      const updates = github.requestsOf(R.updateCheckRun);
      expect(creates).toHaveLength(1);
      expect(updates).toHaveLength(2);
      const sizes = [...creates, ...updates].map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
      expect(sizes).toEqual([50, 50, 20]);
      const run = github.checkRuns.at(-1)!;
      expect(run).toMatchObject({ name: 'shipwatch', head_sha: HEAD, status: 'completed', conclusion: 'failure', details_url: 'https://example.test/pr/1', output: { title: '3 new findings at or above high', summary: '### Shipwatch' } });
      expect(run.annotations.map((a) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(run.annotations[0]).toEqual({ path: 'k8s/app.yaml', start_line: 1, end_line: 1, annotation_level: 'failure', title: 'K8S-001 finding 0', message: 'message 0' });
    });

    it('makes a single request without annotations, and cuts the summary to 65535 characters', async () => {
      await tokenClient(github).reportStatus(shop, HEAD, { conclusion: 'success', title: 'No new findings', summary: 's'.repeat(70_000), annotations: [] });
      expect(github.requestsOf(R.createCheckRun)).toHaveLength(1);
      expect(github.requestsOf(R.updateCheckRun)).toHaveLength(0);
      expect(github.checkRuns.at(-1)!.output.summary).toHaveLength(65_535);
      expect(github.checkRuns.at(-1)!.conclusion).toBe('success');
    });
  });

  describe('retries', () => {
    it('retries a 502 and gets the answer', async () => {
      github.failNext(R.pullFiles, 1);
      expect(await tokenClient(github).changedFiles(shop, 2)).toHaveLength(7);
      expect(github.requestsOf(R.pullFiles).map((r) => r.status)).toEqual([502, 200]);
    });

    it('retries 5xx in the middle of pagination and on writes', async () => {
      const client = tokenClient(github);
      github.failNext(R.pullFiles, 2, 503);
      github.failNext(R.createCheckRun, 1, 500);
      github.failNext(R.updateCheckRun, 1, 502);
      expect(await client.changedFiles(shop, 1)).toHaveLength(300);
      await client.reportStatus(shop, HEAD, { conclusion: 'failure', title: 't', summary: 's', annotations: annotations(60) });
      expect(github.checkRuns.at(-1)!.annotations).toHaveLength(60);
      expect(github.requestsOf(R.createCheckRun).map((r) => r.status)).toEqual([500, 201]);
    });

    it('gives up after the configured number of retries', async () => {
      github.failNext(R.contents, 3);
      await expect(tokenClient(github, { retries: 2 }).readFile(shop, 'k8s/app.yaml', HEAD)).rejects.toMatchObject({ status: 502 });
      expect(github.requestsOf(R.contents)).toHaveLength(3);
    });

    it('waits out a secondary rate limit (403 + retry-after) and tries again, without logging the token', async () => {
      const log = recordingLog();
      github.rateLimitNext(R.createComment, 1);
      await tokenClient(github, { log }).upsertComment(shop, 20, MARKER, `${MARKER}\nafter the limit`);
      expect(github.requestsOf(R.createComment).map((r) => r.status)).toEqual([403, 201]);
      expect(github.commentsOf('acme/shop', 20)).toHaveLength(1);
      expect(log.lines.some((l) => /secondary rate limit/.test(l))).toBe(true);
      expect(log.lines.join('\n')).not.toContain(TOKEN);
    });

    it('stops retrying a rate limit after the configured number of attempts', async () => {
      github.rateLimitNext(R.pullFiles, 3);
      await expect(tokenClient(github, { retries: 1 }).changedFiles(shop, 2)).rejects.toMatchObject({ status: 403 });
      expect(github.requestsOf(R.pullFiles)).toHaveLength(2);
    });
  });

  describe('personal access tokens', () => {
    it('fall back to a commit status when GitHub refuses check runs to non-App callers', async () => {
      const patOnly = await startGitHubStandIn({ tokens: [TOKEN], checkRunsRequireApp: true, repos: { 'acme/shop': {} } });
      try {
        await tokenClient(patOnly).reportStatus(shop, HEAD, { conclusion: 'failure', title: `${'long title '.repeat(20)}`, summary: 's', annotations: annotations(3), detailsUrl: 'https://example.test/d' });
        expect(patOnly.checkRuns).toHaveLength(0);
        expect(patOnly.statuses).toEqual([{ repo: 'acme/shop', sha: HEAD, state: 'failure', context: 'shipwatch', description: expect.stringMatching(/^long title .*…$/), target_url: 'https://example.test/d' }]);
        expect(patOnly.statuses[0].description!.length).toBeLessThanOrEqual(140);
      } finally {
        await patOnly.stop();
      }
    });
  });
});

describe('GitHub adapter with GitHub App credentials', () => {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    // GitHub hands out App keys in PKCS#1 ("BEGIN RSA PRIVATE KEY").
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  let github: GitHubStandIn;
  const other: RepoTarget = { provider: 'github', repo: 'acme/other', projectId: 'acme/other', installationId: 43 };
  const viaApp = { ...shop, installationId: 42 };

  beforeAll(async () => {
    github = await startGitHubStandIn({
      app: { appId: 777, publicKey: keys.publicKey, installations: { 42: ['acme/shop'], 43: ['acme/other'] } },
      repos: {
        'acme/shop': { commits: { [HEAD]: { 'k8s/app.yaml': 'kind: Pod\n' } }, pulls: { 1: { files: pullFiles(120) } } },
        'acme/other': { commits: { [HEAD]: { 'a.yaml': 'kind: Service\n' } } },
      },
    });
  });
  afterAll(() => github.stop());

  it('signs a JWT, mints one installation token per installation and reuses it', async () => {
    const log = recordingLog();
    const client = createGitHubClient({ baseUrl: github.url, app: { appId: 777, privateKey: keys.privateKey }, ...fastRetries, log });
    expect(await client.changedFiles(viaApp, 1)).toHaveLength(120);
    expect(await client.readFile(viaApp, 'k8s/app.yaml', HEAD)).toBe('kind: Pod\n');
    expect(await client.readFile(other, 'a.yaml', HEAD)).toBe('kind: Service\n');
    await client.reportStatus(viaApp, HEAD, { conclusion: 'success', title: 'No new findings', summary: 'ok', annotations: [] });

    const minted = github.requestsOf(R.accessToken);
    expect(minted.map((r) => r.path)).toEqual(['/app/installations/42/access_tokens', '/app/installations/43/access_tokens']);
    expect(minted[0].headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i);
    const repoCalls = github.requests.filter((r) => r.path.startsWith('/repos/'));
    expect(repoCalls.every((r) => /^token ghs_/.test(String(r.headers.authorization)))).toBe(true);
    expect(github.checkRuns).toHaveLength(1);
    const tokens = [...github.issuedTokens.keys()];
    expect(log.lines.join('\n')).not.toMatch(new RegExp(tokens.join('|')));
    expect(log.lines.join('\n')).not.toContain('PRIVATE KEY');
  });

  it('cannot reach a repository through an installation that does not cover it', async () => {
    const client = createGitHubClient({ baseUrl: github.url, app: { appId: 777, privateKey: keys.privateKey }, ...fastRetries, log: recordingLog() });
    expect(await client.readFile({ ...other, installationId: 42 }, 'a.yaml', HEAD)).toBeNull();
  });

  it('needs the installation id of the target', async () => {
    const client = createGitHubClient({ baseUrl: github.url, app: { appId: 777, privateKey: keys.privateKey }, ...fastRetries });
    await expect(client.readFile(shop, 'k8s/app.yaml', HEAD)).rejects.toThrow(/installation id/);
  });

  it('is refused with a key the App does not have', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const client = createGitHubClient({ baseUrl: github.url, app: { appId: 777, privateKey: stranger.privateKey }, ...fastRetries, log: recordingLog() });
    await expect(client.readFile(viaApp, 'k8s/app.yaml', HEAD)).rejects.toMatchObject({ status: 401 });
  });
});
