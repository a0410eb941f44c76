import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// Distinctive enough to match even when glued to a preceding word.
const FINE_GRAINED_PAT = /github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}/g;

export default secretPattern({
  id: 'SECRET-04',
  severity: 'critical',
  title: 'GitHub fine-grained personal access token',
  description: 'A GitHub fine-grained personal access token (github_pat_ followed by 22 and 59 characters) appears in a file.',
  remediation: 'Revoke the token in GitHub (Settings > Developer settings > Fine-grained tokens) and inject tokens at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('github_pat_')) return;
    for (const match of text.matchAll(FINE_GRAINED_PAT)) {
      yield { index: match.index, secret: match[0], message: 'GitHub fine-grained personal access token (github_pat_)' };
    }
  },
});
