// The image pipeline inside `shipwatch serve`: the same registry-event and image-scan code as the
// Lambdas, with an in-process queue between them.
import type { DeliveryLog, FindingStore } from '../../pipeline/ports.ts';
import { InProcessQueue } from '../../queue/local.ts';
import { openVulnDb, type VulnDb } from '../../vuln/index-db.ts';
import { parseAllowedRegistries } from '../registry/allowlist.ts';
import { DEFAULT_VULN_DB_MAX_AGE_DAYS } from '../scan.ts';
import { runImageScan } from './image-scan.ts';
import type { ImageScanJob } from './job.ts';
import { handleRegistryEvent, handleRegistryWebhook, type RegistryEventDeps, type RegistryEventResult } from './registry-event.ts';
import { EcrScanFindings, ingestRegistryFindings } from './registry-findings.ts';

export interface LocalImagePipeline {
  /** `POST /webhooks/registry` (Distribution, Harbor) and `POST /events` (EventBridge events). */
  handle(path: '/webhooks/registry' | '/events', headers: Record<string, string | undefined>, body: string): Promise<RegistryEventResult>;
  /** Resolves when every queued image scan has finished. */
  idle(): Promise<void>;
}

export function localImagePipeline(options: { env: NodeJS.ProcessEnv; store: FindingStore; deliveries: DeliveryLog; log: (line: string) => void }): LocalImagePipeline {
  const { env, store, deliveries, log } = options;
  const registries = parseAllowedRegistries(env.SHIPWATCH_REGISTRIES);
  let vulnDb: Promise<VulnDb> | undefined;
  const queue = new InProcessQueue<ImageScanJob>(
    async (job) => {
      const outcome = await runImageScan(job, {
        store,
        // Opened once; a failed open is retried by the next job rather than remembered.
        vulnDb: async () => (env.SHIPWATCH_VULN_DB ? (vulnDb ??= openVulnDb(env.SHIPWATCH_VULN_DB).catch((e) => ((vulnDb = undefined), Promise.reject(e)))) : null),
        vulnDbMaxAgeDays: Number(env.SHIPWATCH_VULN_DB_MAX_AGE_DAYS) || DEFAULT_VULN_DB_MAX_AGE_DAYS,
        registries,
      });
      log(`scanned image ${job.registry}/${job.repository}:${job.tag}@${job.digest}: ${outcome.result.findings.length} findings, ${outcome.opened} new, ${outcome.resolved} resolved, ${outcome.superseded} superseded${outcome.partial ? ' (some platforms unreadable)' : ''}`);
      for (const error of outcome.result.errors) log(`image scan error: ${error.file}: ${error.message}`);
    },
    { retryDelayMs: 200, onDeadLetter: (l) => log(`image job moved to the dead letters after ${l.receiveCount} attempts: ${(l.error as Error).message}`) },
  );
  const source = new EcrScanFindings();
  const deps: RegistryEventDeps = {
    token: async () => env.SHIPWATCH_REGISTRY_TOKEN || undefined,
    allowed: registries,
    deliveries,
    queue,
    ingest: (target) => ingestRegistryFindings(target, { source, store }),
    log: (message, fields) => log(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  };
  return {
    async handle(path, headers, body) {
      if (path === '/webhooks/registry') {
        const out = await handleRegistryWebhook({ headers, body }, deps);
        log(`registry webhook: ${out.statusCode} ${out.body.message}`);
        return out;
      }
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        return { statusCode: 400, body: { message: 'body is not valid JSON', queued: 0, ignored: [], refused: [], duplicates: 0 } };
      }
      const out = await handleRegistryEvent(event, deps);
      log(`event: ${out.statusCode} ${out.body.message}`);
      return out;
    },
    idle: () => queue.idle(),
  };
}
