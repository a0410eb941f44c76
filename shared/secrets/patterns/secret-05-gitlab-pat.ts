import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// At least 20 url-safe characters: newer tokens are longer and carry a routing suffix.
const GITLAB_PAT = /glpat-[A-Za-z0-9_-]{20,}/g;

export default secretPattern({
  id: 'SECRET-05',
  severity: 'critical',
  title: 'GitLab personal access token',
  description: 'A GitLab personal access token (glpat- followed by at least 20 url-safe characters) appears in a file.',
  remediation: 'Revoke the token in GitLab (User settings > Access tokens) and inject tokens at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('glpat-')) return;
    for (const match of text.matchAll(GITLAB_PAT)) {
      yield { index: match.index, secret: match[0], message: 'GitLab personal access token (glpat-)' };
    }
  },
});
