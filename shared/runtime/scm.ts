import type { ScmLog } from '../scm/options.ts';
import type { ScmClient } from '../scm/port.ts';
import { secretJson, secretString } from './secrets.ts';

/** The forge clients of a deployed function, with credentials from Secrets Manager (never from plain env). */
export async function scmClientsFromSecrets(log: ScmLog): Promise<{ github?: ScmClient; gitlab?: ScmClient }> {
  // The forge clients are large: load them when a job needs them, not at cold start.
  const { createGitHubClient, DEFAULT_GITHUB_API_URL } = await import('../scm/github.ts');
  const { createGitLabClient, DEFAULT_GITLAB_URL } = await import('../scm/gitlab.ts');
  const clients: { github?: ScmClient; gitlab?: ScmClient } = {};
  const github = await secretJson<{ token?: string; appId?: string | number; privateKey?: string }>(process.env.SHIPWATCH_GITHUB_APP_SECRET_ARN);
  const baseUrl = process.env.SHIPWATCH_GITHUB_API_URL || DEFAULT_GITHUB_API_URL;
  if (github?.appId && github.privateKey) clients.github = createGitHubClient({ baseUrl, app: { appId: github.appId, privateKey: github.privateKey }, log });
  else if (github?.token) clients.github = createGitHubClient({ baseUrl, token: github.token, log });
  const gitlabRaw = await secretString(process.env.SHIPWATCH_GITLAB_TOKEN_SECRET_ARN);
  const gitlabToken = gitlabRaw?.trim().startsWith('{') ? (JSON.parse(gitlabRaw) as { token?: string }).token : gitlabRaw;
  if (gitlabToken) clients.gitlab = createGitLabClient({ host: process.env.SHIPWATCH_GITLAB_URL || DEFAULT_GITLAB_URL, token: gitlabToken, log });
  return clients;
}
