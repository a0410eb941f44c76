import { CLOUD_CREDENTIAL_COMPLIANCE, mentionsAny } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

const KINDS: Record<string, string> = {
  AKIA: 'long-lived IAM user key',
  ASIA: 'temporary STS key',
  ABIA: 'AWS service bearer token',
  ACCA: 'context-specific credential',
};

export default secretPattern({
  id: 'SECRET-01',
  severity: 'critical',
  title: 'AWS access key id',
  description: 'An AWS access key id (AKIA, ASIA, ABIA or ACCA followed by 16 uppercase letters and digits) appears in a file.',
  remediation: 'Deactivate and delete the access key in IAM, review CloudTrail for its use, and give workloads roles (IRSA, instance profiles) instead of static keys.',
  compliance: [...CLOUD_CREDENTIAL_COMPLIANCE],
  *find(text) {
    if (!mentionsAny(text, Object.keys(KINDS))) return;
    for (const match of text.matchAll(ACCESS_KEY_ID)) {
      const prefix = match[0].slice(0, 4);
      // Genuine ids are base32 (A-Z, 2-7): other digits suggest a hand-made fixture, but it is still reported.
      const fixtureLike = /[0189]/.test(match[0].slice(4)) ? '; it contains 0, 1, 8 or 9, which real ids do not, so it may be a fixture' : '';
      yield {
        index: match.index,
        secret: match[0],
        // STS keys expire within hours.
        severity: prefix === 'ASIA' ? 'high' : 'critical',
        message: `AWS access key id (${prefix}: ${KINDS[prefix]})${fixtureLike}`,
      };
    }
  },
});
