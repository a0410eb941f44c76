import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// The last 6 characters of a classic token are a CRC32 checksum.
const CLASSIC_TOKEN = /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}/g;
// Newer stateless app installation tokens: ghs_<installation id>_<JWT>.
const STATELESS_INSTALLATION_TOKEN = /(?<![A-Za-z0-9_])ghs_\d+_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

const KINDS: Record<string, string> = {
  p: 'personal access token',
  o: 'OAuth access token',
  u: 'user-to-server token',
  s: 'server-to-server (app installation) token',
  r: 'refresh token',
};

export default secretPattern({
  id: 'SECRET-03',
  severity: 'critical',
  title: 'GitHub token',
  description: 'A GitHub classic or app token (ghp_, gho_, ghu_, ghs_, ghr_ followed by 36 characters, or a ghs_<id>_<JWT> installation token) appears in a file.',
  remediation: 'Revoke the token in GitHub (Settings > Developer settings, or the app installation), then inject tokens at run time from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!/gh[pousr]_/.test(text)) return;
    for (const match of text.matchAll(CLASSIC_TOKEN)) {
      yield { index: match.index, secret: match[0], checksummed: true, message: `GitHub ${KINDS[match[0][2]]} (${match[0].slice(0, 4)})` };
    }
    for (const match of text.matchAll(STATELESS_INSTALLATION_TOKEN)) {
      yield { index: match.index, secret: match[0], message: 'GitHub app installation token (ghs_<installation id>_<JWT>)' };
    }
  },
});
