import { imageCheck } from '../check.ts';
import { deletedInLaterLayer, layerOf } from '../filesystem.ts';
import { sensitiveFiles } from '../sensitive-files.ts';

export default imageCheck({
  id: 'IMG-045',
  severity: 'critical',
  title: 'Secret deleted in a later layer but still shipped',
  description:
    'A secret (IMG-043) or sensitive file (IMG-044) is in layer k and a whiteout in a later layer deletes it: the final filesystem hides it, but the bytes are still in layer k and anyone who pulls the image can extract them.',
  remediation: 'Rotate the credential. Deleting in a later RUN does not help: keep the file out of every layer (multi-stage builds, BuildKit secret mounts), then rebuild and delete the old image from the registry.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check(image) {
    const reported = new Set<string>();
    for (const file of image.secrets) {
      if (!deletedInLaterLayer(image, file.path, file.layerIndex)) continue;
      const where = layerOf(image, file.layerIndex);
      for (const hit of file.hits) {
        reported.add(`${file.layerIndex}\u0000${file.path}`);
        yield {
          message: `/${file.path} line ${hit.line}: ${hit.message} (${hit.ruleId}) in layer ${file.layerIndex + 1}${where.historyIndex !== null ? ` (history #${where.historyIndex})` : ''}, deleted by a later layer but still in the image`,
          path: file.path,
          line: hit.line,
          evidence: hit.masked,
          ...where,
          field: `deleted:${file.path}:${hit.ruleId}:${hit.masked}`,
        };
      }
    }
    for (const file of sensitiveFiles(image)) {
      if (!file.deleted || reported.has(`${file.layerIndex}\u0000${file.path}`)) continue;
      const where = layerOf(image, file.layerIndex);
      yield {
        message: `/${file.path}: ${file.what} in layer ${file.layerIndex + 1}${where.historyIndex !== null ? ` (history #${where.historyIndex})` : ''}, deleted by a later layer but still in the image`,
        path: file.path,
        ...where,
        field: `deleted:${file.path}`,
      };
    }
  },
});
