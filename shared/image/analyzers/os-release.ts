/**
 * OS detection: `etc/os-release` (or `usr/lib/os-release`, which it often links to). Without one,
 * a Debian base is recognised from `etc/debian_version`, and a distroless image (no os-release, a
 * dpkg `status.d/` folder) from its base-files package version (`12.4+deb12u5` → Debian 12).
 */
import { registerAnalyzer, type LayerFile } from '../analyzer.ts';
import { osReleaseFrom, parseOsReleaseFields } from '../distro.ts';
import { controlStanzas } from '../formats/control.ts';
import type { OsRelease } from '../model.ts';

const OS_RELEASE = ['etc/os-release', 'usr/lib/os-release'];
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;

registerAnalyzer({
  name: 'os-release',
  stage: 'os',
  wants: (path) => OS_RELEASE.includes(path) || path === 'etc/debian_version' || (STATUS_D.test(path) && !path.endsWith('.md5sums')),
  analyze({ files }) {
    for (const path of OS_RELEASE) {
      const file = files.get(path);
      const os = file ? osReleaseFrom(parseOsReleaseFields(file.content.toString('utf8'))) : null;
      if (os) return { os };
    }
    const statusD = [...files.values()].filter((f) => STATUS_D.test(f.path));
    const debianVersion = /^(\d+)/.exec(files.get('etc/debian_version')?.content.toString('utf8').trim() ?? '')?.[1] ?? baseFilesRelease(statusD);
    if (!debianVersion && !statusD.length) return { os: null };
    const os: OsRelease = { id: 'debian', versionId: debianVersion ?? null, prettyName: null };
    if (statusD.length) os.distroless = true;
    return { os };
  },
});

/** Debian's base-files version starts with the release number. */
function baseFilesRelease(statusD: LayerFile[]): string | null {
  for (const file of statusD) {
    for (const stanza of controlStanzas(file.content.toString('utf8'))) {
      if (stanza.Package === 'base-files') return /^(\d+)\./.exec(stanza.Version ?? '')?.[1] ?? null;
    }
  }
  return null;
}
