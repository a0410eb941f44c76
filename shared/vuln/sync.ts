/**
 * The vulnerability data sync (the `vulndb-sync` function's core): downloads the OSV ecosystem
 * exports a deployment needs, keeps each export under `osv/<Ecosystem>/all.zip` and rebuilds that
 * ecosystem's index under `index/` (see index-db.ts), then writes the index manifest.
 *
 * Each ecosystem stands alone: one that fails keeps its previous index (and its old "updated"
 * time, so scans start warning that the data is stale), the others still update. Downloads are
 * conditional on the previous ETag / Last-Modified, so an unchanged export is not fetched again.
 */
import {
  type EcosystemManifestEntry,
  IndexBuilder,
  type IndexManifest,
  indexFileName,
  makeManifest,
  readManifest,
  writeManifest,
} from './index-db.ts';
import { storeBelow, type VulnDataStore } from './store.ts';

export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
export const DEFAULT_SYNC_ECOSYSTEMS = ['Debian', 'Ubuntu', 'Alpine', 'Red Hat', 'Rocky Linux', 'Amazon Linux', 'npm', 'PyPI', 'Go', 'Maven'];
/** The largest export accepted (Debian's is the biggest by far, well below this). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;
/** Where the index lives below the store root; the scanner's SHIPWATCH_VULN_DB points here. */
export const INDEX_PREFIX = 'index/';

export interface SyncOptions {
  /** Root of the vulnerability data (the bucket, or a folder). */
  store: VulnDataStore;
  ecosystems?: readonly string[];
  baseUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  maxDownloadBytes?: number;
}

export type SyncStatus = 'updated' | 'unchanged' | 'unavailable' | 'failed';

export interface EcosystemSync {
  ecosystem: string;
  status: SyncStatus;
  records?: number;
  packages?: number;
  bytes?: number;
  /** Why it failed or is unavailable. */
  reason?: string;
}

export interface SyncResult {
  manifest: IndexManifest;
  ecosystems: EcosystemSync[];
}

/** `SHIPWATCH_OSV_ECOSYSTEMS`: comma-separated OSV ecosystem names. */
export function parseEcosystemList(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return list.length ? [...new Set(list)] : [...DEFAULT_SYNC_ECOSYSTEMS];
}

export function exportUrl(baseUrl: string, ecosystem: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

export async function syncVulnDb(options: SyncOptions): Promise<SyncResult> {
  const ecosystems = options.ecosystems ?? DEFAULT_SYNC_ECOSYSTEMS;
  const baseUrl = options.baseUrl ?? DEFAULT_OSV_BASE_URL;
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const maxBytes = options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const index = storeBelow(options.store, INDEX_PREFIX);

  const previous = await readManifest(index);
  const entries: Record<string, EcosystemManifestEntry> = {};
  const outcomes: EcosystemSync[] = [];

  for (const ecosystem of ecosystems) {
    const before = previous?.ecosystems[ecosystem];
    const url = exportUrl(baseUrl, ecosystem);
    try {
      const headers: Record<string, string> = {};
      if (before?.source?.etag) headers['if-none-match'] = before.source.etag;
      else if (before?.source?.lastModified) headers['if-modified-since'] = before.source.lastModified;
      const response = await fetchFn(url, { headers });
      if (response.status === 304 && before) {
        entries[ecosystem] = { ...before, updatedAt: now().toISOString() };
        outcomes.push({ ecosystem, status: 'unchanged', records: before.records, packages: before.packages });
        continue;
      }
      if (response.status === 404) {
        if (before) entries[ecosystem] = before;
        outcomes.push({ ecosystem, status: 'unavailable', reason: `no export at ${url} (HTTP 404)` });
        continue;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > maxBytes) throw new Error(`export is ${declared} bytes, over the ${maxBytes}-byte limit`);
      const zip = Buffer.from(await response.arrayBuffer());
      if (zip.length > maxBytes) throw new Error(`export is ${zip.length} bytes, over the ${maxBytes}-byte limit`);

      const builder = new IndexBuilder(new Set([ecosystem]));
      builder.addZip(zip, `${ecosystem}/all.zip`);
      const { body, sha256, packages, records } = builder.serialize(ecosystem);
      await options.store.put(`osv/${ecosystem}/all.zip`, zip, 'application/zip');
      const file = indexFileName(ecosystem);
      await index.put(file, body, 'application/gzip');
      entries[ecosystem] = {
        file,
        records,
        packages,
        sha256,
        updatedAt: now().toISOString(),
        source: { url, etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
      };
      outcomes.push({ ecosystem, status: 'updated', records, packages, bytes: zip.length, ...(builder.skipped.length ? { reason: `${builder.skipped.length} records skipped: ${builder.skipped.slice(0, 3).join('; ')}` } : {}) });
    } catch (e) {
      if (before) entries[ecosystem] = before;
      outcomes.push({ ecosystem, status: 'failed', reason: (e as Error).message });
    }
  }

  const manifest = makeManifest(entries, now());
  await writeManifest(index, manifest);
  return { manifest, ecosystems: outcomes };
}
