/**
 * Go binaries: the module information the toolchain embeds (see formats/go-buildinfo.ts), read from
 * ELF files that are executable or sit in a usual bin directory, up to the file size limit. Each
 * binary reports its main module (unless it is an unversioned `(devel)` build), its dependencies
 * and the standard library (`stdlib` at the toolchain version). Versions drop the leading `v`, as
 * OSV's Go records write them.
 */
import { registerAnalyzer } from '../analyzer.ts';
import { isElf } from '../formats/elf.ts';
import { goModules, goToolchainVersion, readGoBuildInfo } from '../formats/go-buildinfo.ts';
import type { InstalledPackage } from '../model.ts';

const BIN_DIR = /(^|\/)s?bin\/[^/]+$/;

registerAnalyzer({
  name: 'go-binary',
  wants: () => false,
  wantsContent: (path, head, mode) => isElf(head) && ((mode & 0o111) !== 0 || BIN_DIR.test(path)),
  condense(file) {
    const info = readGoBuildInfo(file.content);
    return info ? Buffer.from(`${info.goVersion}\n${info.modules}`, 'utf8') : null;
  },
  analyze({ files }) {
    const packages: InstalledPackage[] = [];
    for (const file of files.values()) {
      const text = file.content.toString('utf8');
      const newline = text.indexOf('\n');
      const goVersion = text.slice(0, newline);
      const { main, deps } = goModules(text.slice(newline + 1));
      const at = { path: file.path, layerDigest: file.layer.digest };
      const stdlib = goToolchainVersion(goVersion);
      if (stdlib) packages.push({ ecosystem: 'Go', name: 'stdlib', version: stdlib, ...at });
      if (main?.version && main.version !== '(devel)') packages.push({ ecosystem: 'Go', name: main.path, version: main.version.replace(/^v/, ''), ...at });
      for (const dep of deps) {
        if (dep.version) packages.push({ ecosystem: 'Go', name: dep.path, version: dep.version.replace(/^v/, ''), ...at });
      }
    }
    return { packages };
  },
});
