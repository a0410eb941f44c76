/**
 * Python packages: installed distributions (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`),
 * exact pins of `requirements.txt` (`name==version`), and `poetry.lock`. Names are normalised as
 * PEP 503 says (and OSV's PyPI records are): lower case, runs of `-`, `_`, `.` become `-`.
 * requirements files shipped inside installed packages are not the image's own and are skipped.
 */
import { registerAnalyzer } from '../analyzer.ts';
import type { InstalledPackage } from '../model.ts';

const METADATA = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$/;
const REQUIREMENTS = /(^|\/)requirements\.txt$/;
const POETRY = /(^|\/)poetry\.lock$/;
const INSIDE_PACKAGES = /(^|\/)(site|dist)-packages\//;

export const normalizePythonName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** `Name` and `Version` of a core-metadata file (RFC 822 headers, up to the first blank line). */
export function metadataPackage(text: string): { name: string; version: string } | null {
  let name: string | undefined;
  let version: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    const m = /^(Name|Version):\s*(.+?)\s*$/.exec(line);
    if (m?.[1] === 'Name') name ??= m[2];
    if (m?.[1] === 'Version') version ??= m[2];
  }
  return name && version ? { name: normalizePythonName(name), version } : null;
}

export function requirementPins(text: string): { name: string; version: string }[] {
  const pins: { name: string; version: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,#\\]+)\s*(?:[;\\]|$)/.exec(line);
    if (m && !m[2].includes('*')) pins.push({ name: normalizePythonName(m[1]), version: m[2] });
  }
  return pins;
}

/** `name`/`version` of each `[[package]]` table (not of its sub-tables). */
export function poetryPackages(text: string): { name: string; version: string }[] {
  const found: { name: string; version: string }[] = [];
  let current: { name?: string; version?: string } | null = null;
  const flush = () => {
    if (current?.name && current.version) found.push({ name: normalizePythonName(current.name), version: current.version });
    current = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '[[package]]') {
      flush();
      current = {};
      continue;
    }
    if (line.startsWith('[')) {
      flush();
      continue;
    }
    const m = /^(name|version)\s*=\s*"([^"]*)"/.exec(line);
    if (m && current) current[m[1] as 'name' | 'version'] = m[2];
  }
  flush();
  return found;
}

registerAnalyzer({
  name: 'python',
  wants: (path) => METADATA.test(path) || ((REQUIREMENTS.test(path) || POETRY.test(path)) && !INSIDE_PACKAGES.test(path)),
  analyze({ files }) {
    const packages: InstalledPackage[] = [];
    for (const file of files.values()) {
      const text = file.content.toString('utf8');
      const found = METADATA.test(file.path) ? [metadataPackage(text)].filter((p) => p !== null) : REQUIREMENTS.test(file.path) ? requirementPins(text) : poetryPackages(text);
      for (const p of found) packages.push({ ecosystem: 'PyPI', ...p, path: file.path, layerDigest: file.layer.digest });
    }
    return { packages };
  },
});
