import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One JSON file holding a whole in-memory state. Writes are atomic (a temporary file renamed over
 * the old one, so a crash leaves the previous snapshot) and coalesced: saves requested while a
 * write is waiting share it.
 */
export class SnapshotFile<T> {
  /** The write that has not started yet, which new saves join. */
  private pending: Promise<void> | null = null;
  /** The last write, which the next one waits for. */
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** The saved state, or null when there is none yet. A damaged file is an error, never silently emptied. */
  async load(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`${this.path} is not a valid snapshot (${(e as Error).message}); move it away to start empty`);
    }
  }

  /** Writes `state()` (taken when the write starts, so it includes every change made before). */
  save(state: () => T): Promise<void> {
    if (this.pending) return this.pending;
    const write = this.tail.then(() => {
      this.pending = null;
      return this.write(JSON.stringify(state()));
    });
    this.pending = write;
    this.tail = write.catch(() => undefined);
    return write;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (e) {
      await rm(temporary, { force: true });
      throw e;
    }
  }
}
