import { imageCheck } from '../check.ts';
import { isOsPackage } from '../packages.ts';
import { vulnerabilityHit } from '../vulnerabilities.ts';

export default imageCheck({
  id: 'IMG-081',
  severity: 'high',
  title: 'Vulnerable language package',
  description:
    'An npm, PyPI, Go or Maven package in the image falls in an OSV `SEMVER`/`ECOSYSTEM` range or `versions` list; the location is the lockfile, metadata file or binary it was found in. Unfixed ones are reported with `fixAvailable: false`.',
  remediation: 'Upgrade the dependency to the fixed version in the project\'s manifest and lockfile, then rebuild the image.',
  compliance: ['CIS-DOCKER 4.4', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.3'],
  *check(image) {
    for (const match of image.vulnerabilities) if (!isOsPackage(match.installed)) yield vulnerabilityHit(match, 'language');
  },
});
