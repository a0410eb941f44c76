// Runs the real reader with the registered analyzers over an image built from the given layers.
import { readImage, type ScannedImage } from '../../../shared/image/read.ts';
import { BlobSet, type Entry } from '../read-fixtures.ts';

export type Files = Record<string, string | Buffer | { content: string | Buffer; mode?: number }>;

export function entries(files: Files): Entry[] {
  return Object.entries(files).map(([path, f]) => (typeof f === 'string' || Buffer.isBuffer(f) ? { path, content: f } : { path, content: f.content, mode: f.mode }));
}

/** Each argument is one layer. */
export async function analyze(...layers: (Files | Entry[])[]): Promise<ScannedImage> {
  const set = new BlobSet();
  const image = await set.image(layers.map((l) => ({ entries: Array.isArray(l) ? l : entries(l) })));
  const [result] = await readImage(set.writeLayout([image.manifest]), { layerCache: null });
  if (result.status !== 'scanned') throw new Error(`not scanned: ${result.status === 'failed' ? result.error : 'skipped'}`);
  return result;
}

/** `ecosystem name version` lines of one analyzer's findings, for compact expectations. */
export function packageLines(image: ScannedImage, ecosystemPrefix = ''): string[] {
  return image.analysis.packages.filter((p) => p.ecosystem.startsWith(ecosystemPrefix)).map((p) => `${p.ecosystem} ${p.name} ${p.version}`);
}
