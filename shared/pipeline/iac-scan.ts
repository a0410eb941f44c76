import { parseConfig, ConfigError, type ShipwatchConfig } from '../config/config.ts';
import type { Finding } from '../findings/finding.ts';
import { DEFAULT_MAX_FILE_SIZE } from '../fs/walk.ts';
import { scanSources } from '../scan/engine.ts';
import type { ScanResult } from '../scan/result.ts';
import { classify, type SourceFile } from '../scan/sources.ts';
import type { ChangedFile, RepoTarget, ScmClient } from '../scm/port.ts';
import { COMMENT_MARKER, prComment, statusReport, type PrFeedbackInput } from './feedback.ts';
import type { FindingScope, ScanJob } from './model.ts';
import type { FindingStore } from './ports.ts';
import picomatch from 'picomatch';

export interface IacScanDeps {
  scm: ScmClient;
  store: FindingStore;
  now?: () => Date;
}

export interface IacScanOutcome {
  result: ScanResult;
  opened: number;
  resolved: number;
  conclusion?: 'success' | 'failure';
}

const CONFIG_FILE = '.shipwatch.yaml';
/** How many files are fetched at once (GitHub's secondary rate limits punish bursts). */
const FETCH_CONCURRENCY = 8;

const target = (job: ScanJob): RepoTarget => ({ provider: job.provider, repo: job.repo, projectId: job.projectId, installationId: job.installationId });

export function repoScope(job: ScanJob, ref: string): FindingScope {
  return { repo: `${job.provider}:${job.repo}`, ref };
}

/** Browser link to a file line at a commit. */
export function fileUrl(job: ScanJob, commit: string, path: string, line: number | null): string {
  const origin = job.url ? new URL(job.url).origin : job.provider === 'github' ? 'https://github.com' : 'https://gitlab.com';
  const anchor = line ? `#L${line}` : '';
  return job.provider === 'github' ? `${origin}/${job.repo}/blob/${commit}/${path}${anchor}` : `${origin}/${job.repo}/-/blob/${commit}/${path}${anchor}`;
}

/** The iac-scan worker's whole job, for one queue message. Idempotent: a redelivered job edits the same comment. */
export async function runIacScan(job: ScanJob, deps: IacScanDeps): Promise<IacScanOutcome> {
  return job.type === 'pull-request' ? scanPullRequest(job, deps) : scanPush(job, deps);
}

async function scanPullRequest(job: Extract<ScanJob, { type: 'pull-request' }>, deps: IacScanDeps): Promise<IacScanOutcome> {
  const repo = target(job);
  const now = deps.now?.() ?? new Date();
  const changed = await deps.scm.changedFiles(repo, job.number);
  const configText = await deps.scm.readFile(repo, CONFIG_FILE, job.headSha);
  let config: ShipwatchConfig;
  try {
    config = configText === null ? {} : parseConfig(configText, CONFIG_FILE);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const summary = `${COMMENT_MARKER}\n### Shipwatch\n\nThe repository configuration is invalid, nothing was scanned: ${e.message.replace(/[<>@`]/g, '')}\n`;
    await deps.scm.upsertComment(repo, job.number, COMMENT_MARKER, summary);
    await deps.scm.reportStatus(repo, job.headSha, { conclusion: 'failure', title: 'Invalid .shipwatch.yaml', summary, annotations: [] });
    throw e;
  }
  const excluded = config.exclude?.length ? picomatch(config.exclude, { dot: true }) : () => false;
  const present = changed.filter((c) => c.status !== 'removed' && !excluded(c.path));
  const maxSize = config.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
  const files = await mapLimit(present, FETCH_CONCURRENCY, async (c): Promise<SourceFile | null> => {
    const text = await deps.scm.readFile(repo, c.path, job.headSha);
    return text === null ? null : sourceFromText(c.path, text, maxSize);
  });
  const sources = files.filter((f): f is SourceFile => f !== null);

  // Cross-object rules need the manifests the PR did not touch (a ServiceAccount or NetworkPolicy elsewhere).
  let contextFiles: SourceFile[] = [];
  if (sources.some((f) => isManifest(f.path))) {
    const changedPaths = new Set(changed.map((c) => c.path));
    const tree = await deps.scm.readTree(repo, job.headSha, (p) => isManifest(p) && !changedPaths.has(p) && !excluded(p));
    contextFiles = [...tree].map(([path, text]) => ({ path, text }));
  }
  const result = scanSources(sources, { config, contextFiles, now });

  const prScope = repoScope(job, `${job.provider === 'github' ? 'pr' : 'mr'}/${job.number}`);
  const applied = await deps.store.applyScan(prScope, result.findings, { at: now.toISOString(), commit: job.headSha, summary: result.summary, trigger: job.deliveryId }, { url: (f) => (f.location ? fileUrl(job, job.headSha, f.location.file, f.location.line) : job.url) });
  const onBase = await deps.store.openByFindingFingerprint(repoScope(job, job.defaultBranch), result.findings.map((f) => f.fingerprint));
  const feedback: PrFeedbackInput = {
    introduced: result.findings.filter((f) => !onBase.has(f.fingerprint)),
    existing: result.findings.filter((f) => onBase.has(f.fingerprint)),
    resolved: applied.resolved,
    errors: result.errors,
    failOn: config.failOn ?? 'high',
    fileUrl: (path, line) => fileUrl(job, job.headSha, path, line),
    commit: job.headSha,
  };
  await deps.scm.upsertComment(repo, job.number, COMMENT_MARKER, prComment(feedback));
  const status = statusReport(feedback, changed, job.url || undefined);
  await deps.scm.reportStatus(repo, job.headSha, status);
  return { result, opened: applied.opened.length, resolved: applied.resolved.length, conclusion: status.conclusion };
}

async function scanPush(job: Extract<ScanJob, { type: 'push' }>, deps: IacScanDeps): Promise<IacScanOutcome> {
  const repo = target(job);
  const now = deps.now?.() ?? new Date();
  const tree = await deps.scm.readTree(repo, job.sha, () => true);
  const configText = tree.get(CONFIG_FILE);
  const config = configText === undefined ? {} : parseConfig(configText, CONFIG_FILE);
  const excluded = config.exclude?.length ? picomatch(config.exclude, { dot: true }) : () => false;
  const maxSize = config.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
  const sources = [...tree]
    .filter(([path]) => !excluded(path))
    .map(([path, text]) => sourceFromText(path, text, maxSize))
    .filter((f): f is SourceFile => f !== null);
  const result = scanSources(sources, { config, now });
  const applied = await deps.store.applyScan(repoScope(job, job.branch), result.findings, { at: now.toISOString(), commit: job.sha, summary: result.summary, trigger: job.deliveryId }, { url: (f: Finding) => (f.location ? fileUrl(job, job.sha, f.location.file, f.location.line) : job.url) });
  return { result, opened: applied.opened.length, resolved: applied.resolved.length };
}

/** Files whose unchanged neighbours give a PR scan context: manifests (cross-object rules) and Terraform (variables, modules). */
const isManifest = (path: string) => {
  const kind = classify(path);
  return kind === 'yaml' || kind === 'json' || kind === 'terraform';
};

/** The same admission checks as a local walk: size cap and text only (binary files are left out unless they are manifests). */
export function sourceFromText(path: string, text: string, maxSize: number): SourceFile | null {
  const relevant = classify(path) !== 'text';
  if (Buffer.byteLength(text) > maxSize) return relevant ? { path, readError: `file is over the ${Math.round(maxSize / 1024 / 1024)} MB size cap` } : null;
  if (text.slice(0, 8000).includes('\u0000')) return relevant ? { path, readError: 'binary file, not text' } : null;
  if (text.includes('\ufffd') && relevant) return { path, readError: 'invalid UTF-8' };
  return { path, text };
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

export type { ChangedFile };
