import { imageCheck } from '../check.ts';
import { deletedInLaterLayer } from '../filesystem.ts';

export default imageCheck({
  id: 'IMG-043',
  severity: 'high',
  title: 'Secret in a file of the image',
  description:
    'A SECRET-xx pattern matches a text file of a layer (after the path allow-rules: docs, man pages, headers, package test suites, Markdown, locales, examples and binaries are skipped). Severity is the pattern\'s. A file that a later layer deletes is IMG-045 instead.',
  remediation: 'Rotate the credential, remove the file from the build context (.dockerignore) and pass secrets at run time or as BuildKit secret mounts.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.4', 'PCI-DSS 8.6.2', 'MITRE T1552.001'],
  *check(image) {
    for (const file of image.secrets) {
      if (deletedInLaterLayer(image, file.path, file.layerIndex)) continue;
      for (const hit of file.hits) {
        yield {
          message: `/${file.path} line ${hit.line}: ${hit.message} (${hit.ruleId})`,
          severity: hit.severity,
          path: file.path,
          line: hit.line,
          evidence: hit.masked,
          layerDigest: file.layerDigest,
          historyIndex: image.layers[file.layerIndex]?.historyIndex ?? null,
          field: `file:${file.path}:${hit.ruleId}:${hit.masked}`,
        };
      }
    }
  },
});
