import { join } from 'node:path';
import type { InstalledPackage } from '../../shared/image/model.ts';

export const OSV_FIXTURES = join(import.meta.dirname, 'fixtures', 'osv');

/** An installed package as an analyzer would report it. */
export function installed(ecosystem: string, name: string, version: string, source?: { name?: string; version?: string }): InstalledPackage {
  return {
    ecosystem,
    name,
    version,
    ...(source?.name ? { sourceName: source.name } : {}),
    ...(source?.version ? { sourceVersion: source.version } : {}),
    path: 'var/lib/dpkg/status',
    layerDigest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
  };
}
