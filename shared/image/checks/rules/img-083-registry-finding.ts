import { registerRule } from '../../../rules/registry.ts';

/**
 * Findings ECR basic scanning and Amazon Inspector report for an image, ingested by
 * triggers/registry-findings.ts (not computed from the image's layers, so no `check`).
 */
export default registerRule({
  id: 'IMG-083',
  engine: 'image',
  severity: 'medium',
  title: 'Registry scan finding (ECR / Inspector)',
  description:
    'A vulnerability that ECR basic scanning or Amazon Inspector enhanced scanning reported for the image (`DescribeImageScanFindings`), normalised; findings Shipwatch already reports as IMG-080/081/082 for the same vulnerability id, package and version are dropped as duplicates.',
  remediation: 'Upgrade the package to the version the finding names, then rebuild and push the image.',
  compliance: ['CIS-DOCKER 4.4', 'NIST-800-190 4.1.1'],
});
