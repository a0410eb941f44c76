import { imageCheck } from '../check.ts';
import { isOsPackage } from '../packages.ts';
import { vulnerabilityHit } from '../vulnerabilities.ts';

export default imageCheck({
  id: 'IMG-080',
  severity: 'high',
  title: 'Vulnerable OS package',
  description:
    'An installed distro package (its source package and version, where the distro keys advisories on it) falls in an OSV range for the image\'s `<Distro>:<release>` and a fixed version exists. Severity comes from the record\'s CVSS vector or database severity.',
  remediation: 'Upgrade the package (or rebuild on an updated base image) to the fixed version.',
  compliance: ['CIS-DOCKER 4.4', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.3'],
  *check(image) {
    for (const match of image.vulnerabilities) if (isOsPackage(match.installed) && match.fixAvailable) yield vulnerabilityHit(match, 'os');
  },
});
