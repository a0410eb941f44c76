import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scmClientsFromEnv } from '../../shared/scm/from-env.ts';
import type { RepoTarget } from '../../shared/scm/port.ts';
import { GITHUB_ROUTES, startGitHubStandIn, type GitHubStandIn } from '../support/github-server.ts';
import { startGitLabStandIn, type GitLabStandIn } from '../support/gitlab-server.ts';

const SHA = 'ab'.repeat(20);
const fast = { retryAfterBaseMs: 1, paceWrites: false };

describe('scmClientsFromEnv', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  let github: GitHubStandIn;
  let gitlab: GitLabStandIn;
  const ghTarget: RepoTarget = { provider: 'github', repo: 'acme/shop', projectId: 'acme/shop', installationId: 5 };
  const glTarget: RepoTarget = { provider: 'gitlab', repo: 'acme/shop', projectId: 12 };

  beforeAll(async () => {
    github = await startGitHubStandIn({
      tokens: ['env-token'],
      app: { appId: 31, publicKey: keys.publicKey, installations: { 5: ['acme/shop'] } },
      repos: { 'acme/shop': { commits: { [SHA]: { 'a.yaml': 'from github\n' } } } },
    });
    gitlab = await startGitLabStandIn({ tokens: ['gl-token'], projects: { 'acme/shop': { id: 12, commits: { [SHA]: { 'a.yaml': 'from gitlab\n' } } } } });
  });
  afterAll(async () => {
    await github.stop();
    await gitlab.stop();
  });

  it('configures nothing without credentials', () => {
    expect(scmClientsFromEnv({ SHIPWATCH_GITHUB_API_URL: 'http://127.0.0.1:1', SHIPWATCH_GITLAB_URL: 'http://127.0.0.1:1' })).toEqual({});
  });

  it('builds a token GitHub client and a GitLab client against the configured URLs', async () => {
    const env = { ...github.env(), ...gitlab.env() };
    expect(env).toEqual({ SHIPWATCH_GITHUB_API_URL: github.url, SHIPWATCH_GITHUB_TOKEN: 'env-token', SHIPWATCH_GITLAB_URL: gitlab.url, SHIPWATCH_GITLAB_TOKEN: 'gl-token' });
    const clients = scmClientsFromEnv(env, fast);
    expect(await clients.github!.readFile(ghTarget, 'a.yaml', SHA)).toBe('from github\n');
    expect(await clients.gitlab!.readFile(glTarget, 'a.yaml', SHA)).toBe('from gitlab\n');
    expect(github.requests.at(-1)!.headers.authorization).toBe('token env-token');
  });

  it('prefers the GitHub App, with a private key whose line breaks were written as \\n', async () => {
    const clients = scmClientsFromEnv(
      { SHIPWATCH_GITHUB_API_URL: github.url, SHIPWATCH_GITHUB_TOKEN: 'env-token', SHIPWATCH_GITHUB_APP_ID: '31', SHIPWATCH_GITHUB_APP_PRIVATE_KEY: keys.privateKey.replace(/\n/g, '\\n') },
      fast,
    );
    expect(clients.gitlab).toBeUndefined();
    const minted = github.requestsOf(GITHUB_ROUTES.accessToken).length;
    expect(await clients.github!.readFile(ghTarget, 'a.yaml', SHA)).toBe('from github\n');
    expect(github.requestsOf(GITHUB_ROUTES.accessToken)).toHaveLength(minted + 1);
    expect(github.requests.at(-1)!.headers.authorization).toMatch(/^token ghs_/);
  });
});
