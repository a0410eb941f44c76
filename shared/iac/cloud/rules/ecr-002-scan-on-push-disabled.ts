import { cloudRule, describeSetting, hitAt } from '../rule.ts';
import { isUnknown, UNKNOWN, type Maybe, type RegistryScanning } from '../model.ts';

/** Whether registry-level enhanced scanning covers the repository (a rule whose wildcard filter matches its name). */
function enhancedScanningCovers(scanning: Maybe<RegistryScanning | null>, repository: Maybe<string>): Maybe<boolean> {
  if (scanning === null) return false;
  if (isUnknown(scanning) || isUnknown(scanning.scanType)) return UNKNOWN;
  if (scanning.scanType !== 'ENHANCED') return false;
  if (isUnknown(scanning.rules)) return UNKNOWN;
  let undecided = false;
  for (const rule of scanning.rules) {
    if (isUnknown(rule.filters)) {
      undecided = true;
      continue;
    }
    for (const filter of rule.filters) {
      const matched = wildcardMatch(filter, repository);
      if (matched === true) return true;
      if (isUnknown(matched)) undecided = true;
    }
  }
  return undecided ? UNKNOWN : false;
}

function wildcardMatch(filter: Maybe<string>, name: Maybe<string>): Maybe<boolean> {
  if (isUnknown(filter)) return UNKNOWN;
  if (/^\*+$/.test(filter)) return true;
  if (isUnknown(name)) return UNKNOWN;
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

export default cloudRule({
  id: 'ECR-002',
  severity: 'high',
  title: 'Scan on push disabled',
  subject: 'ecr-repository',
  description:
    'The repository does not scan images on push (`image_scanning_configuration.scan_on_push`, CloudFormation `ImageScanningConfiguration.ScanOnPush`, not true; the default is false) and no registry-level enhanced scanning in the same configuration (Terraform configuration, template, or the live registry) covers it.',
  remediation:
    'Set `image_scanning_configuration { scan_on_push = true }` (CloudFormation `ScanOnPush: true`), or turn on registry-level enhanced scanning (Amazon Inspector) with a rule that matches the repository.',
  compliance: ['CIS-EKS 5.1.1', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.1'],
  *check(repository) {
    const setting = repository.scanOnPush;
    if (setting.value !== false) return;
    if (enhancedScanningCovers(repository.registryScanning, repository.repositoryName) !== false) return;
    yield hitAt(setting, `images are not scanned when pushed: ${describeSetting(setting, 'false')} and no registry-level enhanced scanning covers the repository`);
  },
});
