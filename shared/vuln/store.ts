/**
 * Where vulnerability data lives: a port with a local-directory adapter here and an S3 adapter in
 * s3-store.ts. Keys are `/`-separated paths below the store's root (`manifest.json`,
 * `Debian.ndjson.gz`, `osv/Debian/all.zip`).
 */
import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export interface VulnDataStore {
  /** Where the data is, for messages (`/srv/vulndb`, `s3://bucket/index/`). */
  readonly location: string;
  /** The object's bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
}

export class DirectoryVulnDataStore implements VulnDataStore {
  readonly location: string;

  constructor(dir: string) {
    this.location = resolve(dir);
  }

  private path(key: string): string {
    const path = resolve(join(this.location, key));
    if (!path.startsWith(this.location + sep)) throw new Error(`key "${key}" leaves ${this.location}`);
    return path;
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Written to a temporary name and renamed, so a reader never sees half a file. */
  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }
}

/** A view of `store` below `prefix` (`index/`): the sync keeps raw exports and the index side by side. */
export function storeBelow(store: VulnDataStore, prefix: string): VulnDataStore {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return {
    location: store.location.endsWith('/') ? `${store.location}${base}` : `${store.location}/${base}`,
    get: (key) => store.get(base + key),
    put: (key, body, contentType) => store.put(base + key, body, contentType),
  };
}
