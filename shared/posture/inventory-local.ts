// The inventory `shipwatch serve` keeps without AWS: in memory, saved as inventory.json next to the
// findings snapshot.
import { join } from 'node:path';
import { DEFAULT_STORE_DIR } from '../store/local.ts';
import { SnapshotFile } from '../store/snapshot.ts';
import { inventoryKey, matchesInventoryFilter, type ClusterInventoryItem, type InventoryFilter, type InventoryStore } from './inventory.ts';

interface InventorySnapshot {
  version: 1;
  clusters: ClusterInventoryItem[];
}

export class LocalInventoryStore implements InventoryStore {
  private readonly clusters = new Map<string, ClusterInventoryItem>();

  private constructor(private readonly snapshot: SnapshotFile<InventorySnapshot> | null) {}

  /** `dir`: folder of the snapshot (default `.shipwatch`); null keeps everything in memory. */
  static async open(options: { dir?: string | null } = {}): Promise<LocalInventoryStore> {
    const snapshot = options.dir === null ? null : new SnapshotFile<InventorySnapshot>(join(options.dir ?? DEFAULT_STORE_DIR, 'inventory.json'));
    const store = new LocalInventoryStore(snapshot);
    for (const item of (await snapshot?.load())?.clusters ?? []) store.clusters.set(inventoryKey(item.account, item.region, item.name), item);
    return store;
  }

  async replaceRegion(account: string, region: string, clusters: ClusterInventoryItem[]): Promise<void> {
    const prefix = inventoryKey(account, region, '');
    for (const key of [...this.clusters.keys()]) if (key.startsWith(prefix)) this.clusters.delete(key);
    for (const item of clusters) this.clusters.set(inventoryKey(item.account, item.region, item.name), item);
    await this.snapshot?.save(() => ({ version: 1, clusters: [...this.clusters.values()] }));
  }

  async list(filter: InventoryFilter = {}): Promise<ClusterInventoryItem[]> {
    return [...this.clusters.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item)
      .filter((item) => matchesInventoryFilter(item, filter));
  }
}
