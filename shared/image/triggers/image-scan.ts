// The image-scan worker's whole job for one queue message: scan the pushed digest, then record the
// findings under the image's tag. Idempotent: a redelivered job rewrites the same findings.
import type { ShipwatchConfig } from '../../config/config.ts';
import type { FindingStore } from '../../pipeline/ports.ts';
import type { StoredFinding } from '../../pipeline/model.ts';
import type { VulnDb } from '../../vuln/index-db.ts';
import type { AllowedRegistry } from '../registry/allowlist.ts';
import type { CredentialsProvider } from '../registry/credentials.ts';
import type { EcrClientFactory } from '../registry/ecr.ts';
import { scanImage, type ImageScanResult } from '../scan.ts';
import { imageName, type ImageScanJob } from './job.ts';

export interface ImageScanDeps {
  store: FindingStore;
  /** The vulnerability data, opened (or refreshed) per job; null scans without it. */
  vulnDb: () => Promise<VulnDb | null>;
  vulnDbMaxAgeDays?: number;
  registries: readonly AllowedRegistry[];
  credentials?: CredentialsProvider;
  ecr?: EcrClientFactory | null;
  mirrors?: Record<string, string>;
  /** Deployment-wide `.shipwatch.yaml` defaults. */
  config?: ShipwatchConfig;
  now?: () => Date;
}

export interface ImageScanOutcome {
  result: ImageScanResult;
  opened: number;
  resolved: number;
  superseded: number;
  /** Some platforms could not be read: findings were recorded without resolving anything. */
  partial: boolean;
}

/** The image digest a stored finding was reported for: its index (multi-platform push) or its manifest. */
function pushedDigest(f: StoredFinding): string | null {
  const image = f.image as { indexDigest?: unknown; digest?: unknown } | null | undefined;
  const digest = image?.indexDigest ?? image?.digest;
  return typeof digest === 'string' ? digest : null;
}

export async function runImageScan(job: ImageScanJob, deps: ImageScanDeps): Promise<ImageScanOutcome> {
  const result = await scanImage(`${job.registry}/${job.repository}:${job.tag}@${job.digest}`, {
    config: deps.config,
    now: deps.now?.(),
    vulnDb: await deps.vulnDb(),
    vulnDbMaxAgeDays: deps.vulnDbMaxAgeDays,
    registries: deps.registries,
    credentials: deps.credentials,
    ecr: deps.ecr,
    mirrors: deps.mirrors,
    tag: job.tag,
  });
  const failed = result.platforms.filter((p) => p.status === 'failed');
  if (failed.length > 0 && failed.length === result.platforms.length) {
    // Nothing was read: fail the message so SQS retries it (and dead-letters it in the end).
    throw new Error(`no platform of ${imageName(job)}@${job.digest} could be read: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  const scope = { image: imageName(job), ref: job.tag };
  if (failed.length > 0) {
    // Findings of the unreadable platforms are unknown: record what was found, resolve nothing.
    const upserted = await deps.store.upsert(scope, result.findings);
    return { result, opened: upserted.opened.length, resolved: 0, superseded: 0, partial: true };
  }
  // The push time orders scans: a late scan of an older push of the tag is older than what the store knows and changes nothing.
  const applied = await deps.store.applyScan(
    scope,
    result.findings,
    { at: job.pushedAt, commit: job.digest, summary: result.summary, trigger: job.deliveryId },
    {
      url: () => null,
      supersede: (f) => {
        const digest = pushedDigest(f);
        return digest !== null && digest !== job.digest ? `${job.tag} now points at ${job.digest} (was ${digest})` : null;
      },
    },
  );
  return { result, opened: applied.opened.length, resolved: applied.resolved.length, superseded: applied.superseded?.length ?? 0, partial: false };
}
