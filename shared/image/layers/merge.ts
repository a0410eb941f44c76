/**
 * The final filesystem of an image, as overlay mounts build it: a later layer's entry at a path
 * replaces earlier ones (and a later non-directory at a parent path hides what was below it), a
 * whiteout `.wh.<name>` removes `<name>` and everything under it from the layers beneath, and an
 * opaque marker `.wh..wh..opq` hides everything the layers beneath had inside its directory.
 * Whiteouts only act on lower layers, never on entries of their own layer.
 */
import type { Removal } from '../analyzer.ts';
import type { EntryType, LayerScan } from './walk.ts';

/** For every layer, for every entry of `scan.entries`: null when it is in the final filesystem. */
export function mergeLayers(scans: readonly Pick<LayerScan, 'entries' | 'whiteouts' | 'opaqueDirs'>[]): (Removal | null)[][] {
  const upper = new Map<string, { type: EntryType; layerIndex: number }>();
  const whiteouts = new Map<string, number>();
  const opaque = new Map<string, number>();
  const removals: (Removal | null)[][] = new Array(scans.length);

  const hiddenFromAbove = (path: string): Removal | null => {
    const rootOpaque = opaque.get('');
    if (rootOpaque !== undefined) return { by: 'opaque-directory', layerIndex: rootOpaque };
    let replacedBy: Removal | null = null;
    for (let cut = path.indexOf('/'); ; cut = path.indexOf('/', cut + 1)) {
      const prefix = cut < 0 ? path : path.slice(0, cut);
      const whiteout = whiteouts.get(prefix);
      if (whiteout !== undefined) return { by: 'whiteout', layerIndex: whiteout };
      if (cut < 0) {
        const same = upper.get(prefix);
        if (same) replacedBy ??= { by: 'replaced', layerIndex: same.layerIndex };
        break;
      }
      const dirOpaque = opaque.get(prefix);
      if (dirOpaque !== undefined) return { by: 'opaque-directory', layerIndex: dirOpaque };
      const parent = upper.get(prefix);
      if (parent && parent.type !== 'directory') replacedBy ??= { by: 'replaced', layerIndex: parent.layerIndex };
    }
    return replacedBy;
  };

  for (let k = scans.length - 1; k >= 0; k--) {
    const { entries, whiteouts: layerWhiteouts, opaqueDirs } = scans[k];
    const result: (Removal | null)[] = new Array(entries.length).fill(null);
    const latestHere = new Map<string, number>();
    for (let i = entries.length - 1; i >= 0; i--) {
      const path = entries[i].path;
      if (latestHere.has(path)) {
        result[i] = { by: 'replaced', layerIndex: k };
        continue;
      }
      latestHere.set(path, i);
      result[i] = hiddenFromAbove(path);
    }
    removals[k] = result;
    for (const path of layerWhiteouts) if (!whiteouts.has(path)) whiteouts.set(path, k);
    for (const dir of opaqueDirs) if (!opaque.has(dir)) opaque.set(dir, k);
    for (const [path, i] of latestHere) if (!upper.has(path)) upper.set(path, { type: entries[i].type, layerIndex: k });
  }
  return removals;
}
