/**
 * What reading a layer produced, kept per layer digest (and per reading plan) in a
 * least-recently-used cache bounded by an estimate of its memory, so base layers shared by many
 * images are downloaded and analysed once per process (a warm Lambda, `shipwatch serve`).
 */
import type { LayerScan } from './walk.ts';

const MiB = 1024 * 1024;
/** Rough bytes of one entry's metadata object beyond its path. */
const ENTRY_OVERHEAD = 120;

export function layerScanBytes(scan: LayerScan): number {
  let bytes = 0;
  for (const entry of scan.entries) bytes += ENTRY_OVERHEAD + entry.path.length * 2;
  for (const file of scan.files) {
    bytes += file.raw?.length ?? 0;
    for (const reduced of file.condensed.values()) bytes += reduced.length;
  }
  return bytes + JSON.stringify(scan.inspected).length * 2;
}

export class LayerCache {
  private readonly scans = new Map<string, { scan: LayerScan; bytes: number }>();
  private used = 0;

  constructor(readonly maxBytes = 256 * MiB) {}

  get(key: string): LayerScan | undefined {
    const hit = this.scans.get(key);
    if (!hit) return undefined;
    this.scans.delete(key);
    this.scans.set(key, hit);
    return hit.scan;
  }

  set(key: string, scan: LayerScan): void {
    const bytes = layerScanBytes(scan);
    if (bytes > this.maxBytes) return;
    const old = this.scans.get(key);
    if (old) {
      this.used -= old.bytes;
      this.scans.delete(key);
    }
    for (const [oldest, entry] of this.scans) {
      if (this.used + bytes <= this.maxBytes) break;
      this.scans.delete(oldest);
      this.used -= entry.bytes;
    }
    this.scans.set(key, { scan, bytes });
    this.used += bytes;
  }

  get size(): number {
    return this.scans.size;
  }

  get bytes(): number {
    return this.used;
  }
}

/** The process-wide cache `readImage` uses unless told otherwise. */
export const sharedLayerCache = new LayerCache();
