/**
 * Which layer introduced a package listed in a database every layer rewrites whole (dpkg status,
 * apk installed, rpmdb): the earliest layer from which the package, at the installed version,
 * stays listed in every version of the database up to the final one.
 */
import type { LayerFile } from './analyzer.ts';

/**
 * `final`'s layer for keys that are only in it; otherwise the earliest layer of the unbroken run of
 * versions (ending at `final`) that list the key. `keysOf` parses one version of the database.
 */
export function introducingLayers(final: LayerFile, allVersions: readonly LayerFile[], keysOf: (file: LayerFile) => Iterable<string>): Map<string, LayerFile> {
  const origin = new Map<string, LayerFile>();
  for (const key of keysOf(final)) origin.set(key, final);
  const earlier = allVersions
    .filter((v) => v.path === final.path && v.layerIndex < final.layerIndex)
    .sort((a, b) => b.layerIndex - a.layerIndex);
  let active = new Set(origin.keys());
  for (const version of earlier) {
    if (!active.size) break;
    const listed = new Set(keysOf(version));
    const still = new Set<string>();
    for (const key of active) {
      if (listed.has(key)) {
        origin.set(key, version);
        still.add(key);
      }
    }
    active = still;
  }
  return origin;
}
