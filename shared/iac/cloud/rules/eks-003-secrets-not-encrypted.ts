import { cloudRule, hitAt } from '../rule.ts';
import { isUnknown } from '../model.ts';

export default cloudRule({
  id: 'EKS-003',
  severity: 'high',
  title: 'Secrets not envelope-encrypted with KMS',
  subject: 'eks-cluster',
  description:
    'The cluster has no encryption configuration for the `secrets` resource with a KMS key (Terraform `encryption_config { resources = ["secrets"] provider { key_arn } }`, CloudFormation `EncryptionConfig`), so Kubernetes Secrets in etcd are protected only by the volume encryption AWS manages.',
  remediation:
    'Add an encryption configuration for `secrets` with a customer managed KMS key (Terraform `encryption_config { resources = ["secrets"] provider { key_arn = aws_kms_key.eks.arn } }`; live: `aws eks associate-encryption-config`). It cannot be removed once set.',
  compliance: ['CIS-EKS 5.3.1', 'PCI-DSS 3.5.1'],
  *check(cluster) {
    const setting = cluster.encryption;
    if (isUnknown(setting.value)) return;
    let undecided = false;
    let secretsWithoutKey = false;
    for (const entry of setting.value) {
      if (isUnknown(entry.resources)) {
        undecided = true;
        continue;
      }
      if (!entry.resources.includes('secrets')) {
        if (entry.resources.some(isUnknown)) undecided = true;
        continue;
      }
      // A key given as a reference (aws_kms_key.x.arn) or variable is a key, even if its value is unknown here.
      if (entry.keyArn !== null) return;
      secretsWithoutKey = true;
    }
    if (undecided) return;
    yield hitAt(
      setting,
      secretsWithoutKey
        ? `Kubernetes Secrets are not envelope-encrypted: ${setting.field} covers "secrets" but names no KMS key`
        : `Kubernetes Secrets are not envelope-encrypted: no ${setting.field} for the "secrets" resource`,
    );
  },
});
