import { cloudRule } from '../rule.ts';
import { isUnknown } from '../model.ts';
import { publicStatements } from '../policy.ts';

export default cloudRule({
  id: 'ECR-003',
  severity: 'critical',
  title: 'Repository policy public',
  subject: 'ecr-repository-policy',
  description:
    'A repository policy statement has Effect Allow and Principal "*" (or {"AWS": "*"}) without a condition that restricts the caller (organisation, account, principal, source or network keys with a positive operator), so anyone with an AWS account can use the repository as the statement allows.',
  remediation:
    'Name the accounts or roles that need access in `Principal`, or keep "*" and add a condition such as `"StringEquals": {"aws:PrincipalOrgID": "o-..."}`.',
  compliance: ['NIST-800-190 4.2.3', 'PCI-DSS 7.2.1'],
  *check(subject) {
    const found = publicStatements(subject.policy.value);
    if (isUnknown(found)) return;
    for (const statement of found) {
      yield {
        field: `${subject.policy.field}.Statement[${statement.index}]`,
        line: subject.policy.line,
        message: `the repository policy lets anyone in: statement ${statement.sid ? `"${statement.sid}"` : `#${statement.index + 1}`} allows ${statement.principal} with no restricting condition`,
      };
    }
  },
});
