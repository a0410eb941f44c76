// The registry-event front door: push notifications (Distribution envelope, Harbor webhook) over
// HTTP and EventBridge events (ECR push, ECR scan, Inspector finding). Fast and dumb: verify,
// read, refuse registries we may not contact (SSRF guard), de-duplicate, enqueue or ingest.
import { constantTimeEqual } from '../../pipeline/git-webhook.ts';
import type { DeliveryLog } from '../../pipeline/ports.ts';
import { allowedRegistry, quote, RegistryNotAllowedError, type AllowedRegistry } from '../registry/allowlist.ts';
import type { ImageScanJob } from './job.ts';
import { distributionPushes, DISTRIBUTION_EVENTS_MEDIA_TYPE, ecrPush, ecrRegistry, harborPushes, isHarborPayload, type PushOutcome } from './push-events.ts';
import type { RegistryScanTarget } from './registry-findings.ts';

/** How long a notification id is remembered: registries retry for hours at most. */
export const REGISTRY_DELIVERY_TTL_SECONDS = 2 * 24 * 3600;

export interface RegistryEventDeps {
  /** The bearer token notifications must carry (`SHIPWATCH_REGISTRY_TOKEN`); none configured refuses all. */
  token: () => Promise<string | undefined>;
  /** Registries the scanner may contact (`SHIPWATCH_REGISTRIES`, with the deployment's ECR registry). */
  allowed: readonly AllowedRegistry[];
  deliveries: DeliveryLog;
  queue: { send(job: ImageScanJob): Promise<void> };
  /** Ingests a registry's own scan results (ECR basic scanning, Inspector) for one image. */
  ingest?: (target: RegistryScanTarget) => Promise<{ ingested: number; duplicates: number }>;
  /** Structured log line; never handed credentials or tokens. */
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export interface RegistryWebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
}

export interface RegistryEventResult {
  statusCode: number;
  body: { message: string; queued: number; ignored: string[]; refused: string[]; duplicates: number; ingested?: number };
}

const result = (statusCode: number, message: string, extra: Partial<RegistryEventResult['body']> = {}): RegistryEventResult => ({
  statusCode,
  body: { message, queued: 0, ignored: [], refused: [], duplicates: 0, ...extra },
});

/** `POST /webhooks/registry`: a Distribution notification envelope or a Harbor push webhook. */
export async function handleRegistryWebhook(req: RegistryWebhookRequest, deps: RegistryEventDeps): Promise<RegistryEventResult> {
  const expected = await deps.token();
  const presented = /^Bearer\s+(.+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
  if (!expected || !presented || !constantTimeEqual(presented, expected)) return result(401, 'missing or invalid bearer token');

  let payload: unknown;
  try {
    payload = JSON.parse(req.body);
  } catch {
    return result(400, 'body is not valid JSON');
  }
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  let outcomes: PushOutcome[];
  try {
    if (contentType === DISTRIBUTION_EVENTS_MEDIA_TYPE || Array.isArray((payload as { events?: unknown })?.events)) outcomes = distributionPushes(payload);
    else if (isHarborPayload(payload)) outcomes = harborPushes(payload);
    else return result(400, 'neither a Distribution notification envelope nor a Harbor webhook');
  } catch (e) {
    return result(400, (e as Error).message);
  }
  return enqueue(outcomes, deps);
}

/**
 * An EventBridge event: `ECR Image Action` (push: enqueue a scan), `ECR Image Scan` and
 * `Inspector2 Finding` (ingest the registry's findings for the image).
 */
export async function handleRegistryEvent(event: unknown, deps: RegistryEventDeps): Promise<RegistryEventResult> {
  const e = event as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (e?.['detail-type']) {
    case 'ECR Image Action':
      return enqueue([ecrPush(e)], deps);
    case 'ECR Image Scan':
    case 'Inspector2 Finding': {
      const target = scanTarget(e);
      if (typeof target === 'string') return result(200, target, { ignored: [target] });
      const refusal = refuse(target.registry, deps);
      if (refusal) return result(200, refusal, { refused: [refusal] });
      if (!deps.ingest) return result(200, 'registry findings are not ingested here', { ignored: ['no ingestion configured'] });
      const { ingested, duplicates } = await deps.ingest(target);
      deps.log('registry findings ingested', { registry: target.registry, repository: target.repository, digest: target.digest, scanner: target.scanner, ingested, duplicates });
      return result(200, `${ingested} registry finding(s) ingested`, { ingested, duplicates });
    }
    default:
      return result(200, `event ${quote(String(e?.['detail-type']))} ignored`, { ignored: ['not a registry event'] });
  }
}

/** The image an ECR scan or Inspector finding event is about, or why the event is ignored. */
function scanTarget(e: Record<string, any>): RegistryScanTarget | string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const detail = e.detail ?? {};
  if (e['detail-type'] === 'ECR Image Scan') {
    if (detail['scan-status'] !== 'COMPLETE') return `ECR scan status ${quote(String(detail['scan-status']))} ignored`;
    const registry = ecrRegistry(e.account, e.region);
    if (!registry || typeof detail['repository-name'] !== 'string' || typeof detail['image-digest'] !== 'string') return 'ECR scan event without account, region, repository or digest';
    return { registry, repository: detail['repository-name'], digest: detail['image-digest'], tags: stringList(detail['image-tags']), scanner: 'ecr-basic' };
  }
  const resource = (Array.isArray(detail.resources) ? detail.resources : []).find((r: { type?: string }) => r?.type === 'AWS_ECR_CONTAINER_IMAGE');
  const image = resource?.details?.awsEcrContainerImage;
  if (!image) return 'Inspector finding not about an ECR container image ignored';
  const registry = ecrRegistry(image.registry, e.region);
  if (!registry || typeof image.repositoryName !== 'string' || typeof image.imageHash !== 'string') return 'Inspector finding without registry, repository or image digest';
  return { registry, repository: image.repositoryName, digest: image.imageHash, tags: stringList(image.imageTags), scanner: 'inspector' };
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The refusal (logged) when a registry is not one we may contact; null when it is. */
function refuse(registry: string, deps: RegistryEventDeps): string | null {
  try {
    allowedRegistry(deps.allowed, registry);
    return null;
  } catch (e) {
    if (!(e instanceof RegistryNotAllowedError)) throw e;
    deps.log('refused registry event', { reason: e.message });
    return e.message;
  }
}

async function enqueue(outcomes: PushOutcome[], deps: RegistryEventDeps): Promise<RegistryEventResult> {
  const out = result(202, '');
  for (const outcome of outcomes) {
    if ('ignored' in outcome) {
      out.body.ignored.push(outcome.ignored);
      continue;
    }
    const { job } = outcome;
    const refusal = refuse(job.registry, deps);
    if (refusal) {
      out.body.refused.push(refusal);
      continue;
    }
    if (!(await deps.deliveries.firstDelivery(job.deliveryId, REGISTRY_DELIVERY_TTL_SECONDS))) {
      out.body.duplicates++;
      continue;
    }
    try {
      await deps.queue.send(job);
    } catch (e) {
      // Let the registry retry: forget the delivery so the retry is not taken for a duplicate.
      await deps.deliveries.forget(job.deliveryId);
      throw e;
    }
    out.body.queued++;
    deps.log('image scan queued', { provider: job.provider, registry: job.registry, repository: job.repository, tag: job.tag, digest: job.digest });
  }
  const { queued, refused, duplicates } = out.body;
  out.body.message = queued > 0 ? `${queued} image scan(s) queued` : refused.length > 0 ? 'registry not allowed, nothing queued' : duplicates > 0 ? 'duplicate delivery, already queued' : 'nothing to scan';
  // Refused and ignored events are answered with success: a registry retries failures forever and
  // would block its notification queue on an event we will never accept.
  if (queued === 0) out.statusCode = 200;
  return out;
}
