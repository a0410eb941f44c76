import { cloudRule, describeSetting, hitAt } from '../rule.ts';

export default cloudRule({
  id: 'ECR-001',
  severity: 'high',
  title: 'Tags mutable',
  subject: 'ecr-repository',
  description:
    'The repository’s tag mutability (`image_tag_mutability`, CloudFormation `ImageTagMutability`) is not IMMUTABLE (the default is MUTABLE), so a pushed tag can later point to a different image than the one that was scanned and approved.',
  remediation: 'Set `image_tag_mutability = "IMMUTABLE"` (CloudFormation `ImageTagMutability: IMMUTABLE`; live: `aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE`) and publish a new tag for every build.',
  compliance: ['NIST-800-190 4.2.2', 'PCI-DSS 6.3.2'],
  *check(repository) {
    const setting = repository.tagMutability;
    if (typeof setting.value !== 'string' || setting.value === 'IMMUTABLE') return;
    yield hitAt(setting, `image tags can be overwritten: ${describeSetting(setting, setting.value)}`);
  },
});
