import { CLOUD_CREDENTIAL_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// Only after an AWS secret-key keyword: 40 base64 characters alone match any base64 text.
const SECRET_ACCESS_KEY =
  /aws_?(?:secret|sec)_?(?:access_?)?key["']?(?:\s*[:=]\s*|\s+)["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi;

export default secretPattern({
  id: 'SECRET-02',
  severity: 'critical',
  title: 'AWS secret access key',
  description: 'A 40-character AWS secret access key is assigned to an AWS secret-key name (aws_secret_access_key, AWS_SECRET_KEY, ...).',
  remediation: 'Deactivate and delete the access key pair in IAM, review CloudTrail for its use, and use roles or a secrets manager instead of static keys.',
  compliance: [...CLOUD_CREDENTIAL_COMPLIANCE],
  *find(text) {
    for (const match of text.matchAll(SECRET_ACCESS_KEY)) {
      yield { ...captured(match, 1), message: 'AWS secret access key assigned to an AWS secret-key name' };
    }
  },
});
