import { createGitHubClient, DEFAULT_GITHUB_API_URL } from './github.ts';
import { createGitLabClient, DEFAULT_GITLAB_URL, type GitLabClientOptions } from './gitlab.ts';
import type { ScmTuning } from './options.ts';
import type { ScmClient } from './port.ts';

export interface ScmClients {
  github?: ScmClient;
  gitlab?: ScmClient;
}

/**
 * The forge clients the SHIPWATCH_* variables configure (local server, tests): GitHub with an App
 * (`SHIPWATCH_GITHUB_APP_ID` + `SHIPWATCH_GITHUB_APP_PRIVATE_KEY`, preferred) or a token
 * (`SHIPWATCH_GITHUB_TOKEN`) against `SHIPWATCH_GITHUB_API_URL`; GitLab with
 * `SHIPWATCH_GITLAB_TOKEN` against `SHIPWATCH_GITLAB_URL`. A forge without credentials is absent.
 * `tuning` adjusts retries (and GitLab's client-side rate limits) for tests and benchmarks.
 */
export function scmClientsFromEnv(env: NodeJS.ProcessEnv = process.env, { rateLimits, ...tuning }: ScmTuning & Pick<GitLabClientOptions, 'rateLimits'> = {}): ScmClients {
  const clients: ScmClients = {};
  const githubUrl = env.SHIPWATCH_GITHUB_API_URL || DEFAULT_GITHUB_API_URL;
  const appId = env.SHIPWATCH_GITHUB_APP_ID;
  const privateKey = env.SHIPWATCH_GITHUB_APP_PRIVATE_KEY;
  if (appId && privateKey) {
    clients.github = createGitHubClient({ ...tuning, baseUrl: githubUrl, app: { appId, privateKey: pemFromEnv(privateKey) } });
  } else if (env.SHIPWATCH_GITHUB_TOKEN) {
    clients.github = createGitHubClient({ ...tuning, baseUrl: githubUrl, token: env.SHIPWATCH_GITHUB_TOKEN });
  }
  if (env.SHIPWATCH_GITLAB_TOKEN) {
    clients.gitlab = createGitLabClient({ ...tuning, rateLimits, host: env.SHIPWATCH_GITLAB_URL || DEFAULT_GITLAB_URL, token: env.SHIPWATCH_GITLAB_TOKEN });
  }
  return clients;
}

/** A PEM key kept on one line in an env file has its line breaks written as `\n`. */
function pemFromEnv(value: string): string {
  return value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}
