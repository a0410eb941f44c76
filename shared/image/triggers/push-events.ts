// Push notifications of the registries we listen to, read into image jobs. Only a manifest pushed
// under a tag becomes a job: blob pushes, pulls, deletes and untagged manifest pushes (the
// per-platform manifests of an index, scanned through the index) are ignored with a reason.
import { isDigest, isRepositoryName, isTag, type ImageScanJob, type RegistryProvider } from './job.ts';

/** Manifest media types a push of a runnable image (or an index of them) carries. */
export const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]);

export const DISTRIBUTION_EVENTS_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';

/** One event of a notification: a job, or why it is ignored. */
export type PushOutcome = { job: ImageScanJob } | { ignored: string };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function job(provider: RegistryProvider, fields: { registry: string; repository: unknown; tag: unknown; digest: unknown; pushedAt: unknown; deliveryId: string }): PushOutcome {
  const { registry, repository, tag, digest } = fields;
  if (!isRepositoryName(repository)) return { ignored: 'event without a valid repository name' };
  if (!isDigest(digest)) return { ignored: `push to ${repository} without a sha256 manifest digest` };
  if (tag === undefined || tag === null || tag === '') return { ignored: `untagged manifest push ${repository}@${digest} (platform manifests are scanned through their tagged index)` };
  if (!isTag(tag)) return { ignored: `push to ${repository} with an invalid tag` };
  const time = typeof fields.pushedAt === 'number' ? new Date(fields.pushedAt * 1000) : new Date(String(fields.pushedAt ?? ''));
  const pushedAt = Number.isNaN(time.getTime()) ? new Date().toISOString() : time.toISOString();
  return { job: { type: 'image-scan', provider, registry: registry.toLowerCase(), repository, tag, digest, pushedAt, deliveryId: fields.deliveryId } };
}

/** The registry host a Distribution event names: the host the pushing client used, else the target URL's. */
function distributionHost(event: Json): string | null {
  if (typeof event.request?.host === 'string' && event.request.host !== '') return event.request.host;
  try {
    return typeof event.target?.url === 'string' ? new URL(event.target.url).host : null;
  } catch {
    return null;
  }
}

/**
 * The Distribution (registry:2 / docker-registry) notification envelope:
 * `{ events: [{ id, timestamp, action, target: { mediaType, digest, repository, tag, url }, request: { host } }] }`.
 */
export function distributionPushes(payload: unknown): PushOutcome[] {
  const events = (payload as Json)?.events;
  if (!Array.isArray(events)) throw new SyntaxError('not a Distribution notification envelope (no events list)');
  return events.map((event: Json): PushOutcome => {
    if (event?.action !== 'push') return { ignored: `${String(event?.action)} event ignored` };
    const target = event.target ?? {};
    if (!MANIFEST_MEDIA_TYPES.has(target.mediaType)) return { ignored: `push of ${String(target.mediaType ?? 'unknown media type')} ignored (not a manifest)` };
    const registry = distributionHost(event);
    if (!registry) return { ignored: 'push event without a registry host' };
    return job('distribution', { registry, repository: target.repository, tag: target.tag, digest: target.digest, pushedAt: event.timestamp, deliveryId: `distribution:${String(event.id ?? `${target.repository}@${target.digest}:${target.tag}`)}` });
  });
}

/** Whether a JSON body is Harbor's webhook (`{ type, occur_at, event_data: { resources, repository } }`). */
export function isHarborPayload(payload: unknown): boolean {
  const p = payload as Json;
  return typeof p?.type === 'string' && typeof p?.event_data === 'object' && p.event_data !== null;
}

/**
 * Harbor's `PUSH_ARTIFACT` webhook: one job per pushed resource. The registry host is the first part
 * of `resource_url` (`harbor.example.com/library/app:1.0`).
 */
export function harborPushes(payload: unknown): PushOutcome[] {
  const p = payload as Json;
  if (p.type !== 'PUSH_ARTIFACT' && p.type !== 'pushImage') return [{ ignored: `Harbor ${String(p.type)} event ignored` }];
  const resources = p.event_data?.resources;
  const repository = p.event_data?.repository?.repo_full_name;
  if (!Array.isArray(resources) || resources.length === 0) return [{ ignored: 'Harbor push without resources' }];
  return resources.map((resource: Json, i: number): PushOutcome => {
    const url = typeof resource?.resource_url === 'string' ? resource.resource_url : '';
    const slash = url.indexOf('/');
    if (slash <= 0) return { ignored: 'Harbor resource without a resource_url' };
    return job('harbor', { registry: url.slice(0, slash), repository, tag: resource.tag, digest: resource.digest, pushedAt: p.occur_at, deliveryId: `harbor:${String(p.occur_at)}:${String(repository)}@${String(resource.digest)}:${i}` });
  });
}

/** The EventBridge event of an ECR push: `detail-type: "ECR Image Action"`, `action-type: PUSH`, `result: SUCCESS`. */
export function ecrPush(event: Json): PushOutcome {
  const detail = event.detail ?? {};
  if (detail['action-type'] !== 'PUSH') return { ignored: `ECR ${String(detail['action-type'])} action ignored` };
  if (detail.result !== 'SUCCESS') return { ignored: `ECR push with result ${String(detail.result)} ignored` };
  const registry = ecrRegistry(event.account, event.region);
  if (!registry) return { ignored: 'ECR event without a valid account and region' };
  return job('ecr', { registry, repository: detail['repository-name'], tag: detail['image-tag'], digest: detail['image-digest'], pushedAt: event.time, deliveryId: `ecr:${String(event.id ?? detail['image-digest'])}` });
}

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` for an account and region, or null when either is malformed. */
export function ecrRegistry(account: unknown, region: unknown): string | null {
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) return null;
  if (typeof region !== 'string' || !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region)) return null;
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The account and region of an ECR registry host, or null for any other host. */
export function parseEcrRegistry(registry: string): { account: string; region: string } | null {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/.exec(registry.toLowerCase());
  return m ? { account: m[1], region: m[2] } : null;
}
