import { cloudRule, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

/** KMS_DSSE is dual-layer encryption with a KMS key: it counts as KMS. */
const KMS_TYPES = new Set(['KMS', 'KMS_DSSE']);

export default cloudRule({
  id: 'ECR-004',
  severity: 'low',
  title: 'Not encrypted with a customer-managed key',
  subject: 'ecr-repository',
  description:
    'The repository’s encryption (`encryption_configuration`, CloudFormation `EncryptionConfiguration`) is not KMS with a key: the default AES256, or KMS without `kms_key`, which uses the AWS managed key that you cannot restrict or audit separately.',
  remediation: 'Create the repository with `encryption_configuration { encryption_type = "KMS" kms_key = aws_kms_key.ecr.arn }` (CloudFormation `EncryptionType: KMS`, `KmsKey`). Encryption cannot be changed after creation: recreate and re-push.',
  compliance: ['PCI-DSS 3.5.1'],
  *check(repository) {
    const setting = repository.encryption;
    if (isUnknown(setting.value)) return;
    const { type, kmsKey } = setting.value;
    if (isUnknown(type)) return;
    if (!KMS_TYPES.has(type)) {
      yield hitAt(setting, `the repository is encrypted with ${type}${setting.explicit ? '' : ' (the default)'}, not a customer managed KMS key`);
    } else if (kmsKey === null) {
      yield hitAt(setting, `the repository uses ${type} with no key given, so AWS uses its managed key aws/ecr rather than a customer managed key`);
    }
  },
});
