import { createHash, timingSafeEqual } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import type { ScanJob } from './model.ts';
import type { DeliveryLog, JobQueue } from './ports.ts';

export interface WebhookRequest {
  provider: 'github' | 'gitlab';
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body exactly as received (signatures are over these bytes). */
  body: string;
}

export interface WebhookResponse {
  statusCode: number;
  body: { message: string; job?: ScanJob['type']; deliveryId?: string };
}

export interface WebhookSecrets {
  github?: string;
  gitlab?: string;
}

export interface GitWebhookDeps {
  secrets: () => Promise<WebhookSecrets>;
  deliveries: DeliveryLog;
  queue: JobQueue;
}

/** How long a delivery id is remembered: GitHub and GitLab redeliver within hours, manual redeliveries within days. */
export const DELIVERY_TTL_SECONDS = 3 * 24 * 3600;

const GITHUB_PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);
const GITLAB_MR_ACTIONS = new Set(['open', 'reopen', 'update']);
const NULL_SHA = /^0+$/;

/** Verify, parse, de-duplicate, enqueue; nothing else happens here (the sender is waiting). */
export async function handleGitWebhook(req: WebhookRequest, deps: GitWebhookDeps): Promise<WebhookResponse> {
  const secrets = await deps.secrets();
  const verified = req.provider === 'github' ? await verifyGitHub(req, secrets.github) : verifyGitLab(req, secrets.gitlab);
  if (!verified) return { statusCode: 401, body: { message: 'missing or invalid webhook signature' } };

  let payload: unknown;
  try {
    payload = JSON.parse(req.body);
  } catch {
    return { statusCode: 400, body: { message: 'body is not valid JSON' } };
  }
  const deliveryId =
    (req.provider === 'github' ? req.headers['x-github-delivery'] : req.headers['x-gitlab-event-uuid'] ?? req.headers['x-gitlab-webhook-uuid']) ??
    createHash('sha256').update(req.body).digest('hex');
  const event = req.provider === 'github' ? req.headers['x-github-event'] : req.headers['x-gitlab-event'];
  const job = req.provider === 'github' ? githubJob(event, payload, deliveryId) : gitlabJob(event, payload, deliveryId);
  if (typeof job === 'string') return { statusCode: 202, body: { message: job, deliveryId } };

  if (!(await deps.deliveries.firstDelivery(`${req.provider}:${deliveryId}`, DELIVERY_TTL_SECONDS))) {
    return { statusCode: 200, body: { message: 'duplicate delivery, already queued', deliveryId } };
  }
  try {
    await deps.queue.send(job);
  } catch (e) {
    // Let the sender retry: forget the delivery so the retry is not taken for a duplicate.
    await deps.deliveries.forget(`${req.provider}:${deliveryId}`);
    throw e;
  }
  return { statusCode: 202, body: { message: 'scan queued', job: job.type, deliveryId } };
}

async function verifyGitHub(req: WebhookRequest, secret: string | undefined): Promise<boolean> {
  const signature = req.headers['x-hub-signature-256'];
  if (!secret || !signature) return false;
  try {
    // @octokit/webhooks compares HMACs in constant time.
    return await new Webhooks({ secret }).verify(req.body, signature);
  } catch {
    return false;
  }
}

function verifyGitLab(req: WebhookRequest, secret: string | undefined): boolean {
  const token = req.headers['x-gitlab-token'];
  if (!secret || !token) return false;
  return constantTimeEqual(token, secret);
}

/** Compares two strings in time independent of where they differ (hashing first equalises lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function githubJob(event: string | undefined, p: unknown, deliveryId: string): ScanJob | string {
  const payload = p as Json;
  const repo = payload?.repository;
  switch (event) {
    case 'pull_request': {
      const pr = payload.pull_request;
      if (!GITHUB_PR_ACTIONS.has(payload.action)) return `pull_request action "${String(payload.action)}" ignored`;
      if (!pr?.head?.sha || !repo?.full_name) return 'pull_request without head or repository ignored';
      return {
        type: 'pull-request',
        provider: 'github',
        repo: repo.full_name,
        projectId: repo.full_name,
        number: pr.number,
        headSha: pr.head.sha,
        headRef: pr.head.ref,
        baseRef: pr.base?.ref ?? repo.default_branch,
        defaultBranch: repo.default_branch ?? pr.base?.ref,
        installationId: payload.installation?.id,
        deliveryId,
        url: pr.html_url ?? '',
      };
    }
    case 'push': {
      if (!repo?.full_name || typeof payload.ref !== 'string') return 'push without repository ignored';
      const branch = payload.ref.replace(/^refs\/heads\//, '');
      if (payload.ref !== `refs/heads/${repo.default_branch}`) return `push to ${payload.ref} ignored (only the default branch is scanned)`;
      if (payload.deleted || !payload.after || NULL_SHA.test(payload.after)) return 'branch deletion ignored';
      return {
        type: 'push',
        provider: 'github',
        repo: repo.full_name,
        projectId: repo.full_name,
        sha: payload.after,
        branch,
        installationId: payload.installation?.id,
        deliveryId,
        url: repo.html_url ?? '',
      };
    }
    case 'installation':
    case 'installation_repositories':
    case 'ping':
      return `${event} accepted`;
    default:
      return `event "${String(event)}" ignored`;
  }
}

function gitlabJob(event: string | undefined, p: unknown, deliveryId: string): ScanJob | string {
  const payload = p as Json;
  const project = payload?.project;
  switch (event) {
    case 'Merge Request Hook': {
      const mr = payload.object_attributes;
      if (!mr || !project) return 'merge request without attributes ignored';
      if (!GITLAB_MR_ACTIONS.has(mr.action)) return `merge request action "${String(mr.action)}" ignored`;
      // An update without new commits (title, labels, assignees) changes nothing to scan.
      if (mr.action === 'update' && !mr.oldrev) return 'merge request update without new commits ignored';
      return {
        type: 'pull-request',
        provider: 'gitlab',
        repo: project.path_with_namespace,
        projectId: project.id,
        number: mr.iid,
        headSha: mr.last_commit?.id,
        headRef: mr.source_branch,
        baseRef: mr.target_branch,
        defaultBranch: project.default_branch ?? mr.target_branch,
        deliveryId,
        url: mr.url ?? '',
      };
    }
    case 'Push Hook': {
      if (!project || typeof payload.ref !== 'string') return 'push without project ignored';
      if (payload.ref !== `refs/heads/${project.default_branch}`) return `push to ${payload.ref} ignored (only the default branch is scanned)`;
      if (!payload.after || NULL_SHA.test(payload.after)) return 'branch deletion ignored';
      return {
        type: 'push',
        provider: 'gitlab',
        repo: project.path_with_namespace,
        projectId: project.id,
        sha: payload.after,
        branch: payload.ref.replace(/^refs\/heads\//, ''),
        deliveryId,
        url: project.web_url ?? '',
      };
    }
    default:
      return `event "${String(event)}" ignored`;
  }
}
