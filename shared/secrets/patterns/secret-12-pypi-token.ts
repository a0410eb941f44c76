import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

// A macaroon that starts with the base64 of its location, pypi.org.
const PREFIX = 'pypi-AgEIcHlwaS5vcmc';
const PYPI_TOKEN = /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g;

export default secretPattern({
  id: 'SECRET-12',
  severity: 'critical',
  title: 'PyPI upload token',
  description: 'A PyPI API token (pypi- followed by a macaroon issued by pypi.org) appears in a file.',
  remediation: 'Delete the token in the PyPI account settings (API tokens) and publish with trusted publishing or a token from a secrets manager.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes(PREFIX)) return;
    for (const match of text.matchAll(PYPI_TOKEN)) {
      yield { index: match.index, secret: match[0], message: 'PyPI upload token (pypi-)' };
    }
  },
});
