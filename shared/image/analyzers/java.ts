/**
 * Java archives (`.jar`, `.war`, `.ear`, Jenkins `.hpi`/`.jpi`): Maven coordinates from every
 * `META-INF/maven/<group>/<artifact>/pom.properties` inside, including archives nested one or two
 * levels deep (`WEB-INF/lib/*.jar`, Spring Boot's `BOOT-INF/lib/*.jar`) and shaded dependencies.
 * The zip is read in memory from its central directory; nothing is extracted to disk. Archives
 * without pom.properties (no Maven metadata) are not identified.
 */
import { registerAnalyzer } from '../analyzer.ts';
import { zipEntries, zipEntryData } from '../formats/zip.ts';
import type { InstalledPackage } from '../model.ts';

const ARCHIVE = /\.(jar|war|ear|hpi|jpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MAX_DEPTH = 2;
const MAX_POM_BYTES = 64 * 1024;
const MAX_NESTED_BYTES = 64 * 1024 * 1024;

interface Coordinate {
  group: string;
  artifact: string;
  version: string;
  /** Nested archive path inside the file (`BOOT-INF/lib/x.jar`), '' for the file itself. */
  within: string;
}

export function javaProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (m) properties[m[1]] = m[2];
  }
  return properties;
}

export function mavenCoordinates(archive: Buffer, within = '', depth = 0): Coordinate[] {
  const found: Coordinate[] = [];
  for (const entry of zipEntries(archive)) {
    if (POM_PROPERTIES.test(entry.name)) {
      const p = javaProperties(zipEntryData(archive, entry, MAX_POM_BYTES).toString('utf8'));
      if (p.groupId && p.artifactId && p.version) found.push({ group: p.groupId, artifact: p.artifactId, version: p.version, within });
    } else if (depth < MAX_DEPTH && ARCHIVE.test(entry.name) && entry.size <= MAX_NESTED_BYTES) {
      const path = within ? `${within}!/${entry.name}` : entry.name;
      try {
        found.push(...mavenCoordinates(zipEntryData(archive, entry, MAX_NESTED_BYTES), path, depth + 1));
      } catch {
        // a damaged nested archive must not hide the rest
      }
    }
  }
  return found;
}

registerAnalyzer({
  name: 'java',
  wants: (path) => ARCHIVE.test(path),
  condense: (file) => Buffer.from(JSON.stringify(mavenCoordinates(file.content)), 'utf8'),
  analyze({ files }) {
    const packages: InstalledPackage[] = [];
    for (const file of files.values()) {
      const seen = new Set<string>();
      for (const c of JSON.parse(file.content.toString('utf8')) as Coordinate[]) {
        const path = c.within ? `${file.path}!/${c.within}` : file.path;
        const key = `${c.group}:${c.artifact}@${c.version}@${path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        packages.push({ ecosystem: 'Maven', name: `${c.group}:${c.artifact}`, version: c.version, path, layerDigest: file.layer.digest });
      }
    }
    return { packages };
  },
});
