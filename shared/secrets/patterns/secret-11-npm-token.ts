import { SECRET_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const NPM_TOKEN = /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g;
// `.npmrc` registry credentials with a literal value (`${NPM_TOKEN}` is read from the environment, which is fine).
// Blanks are matched with [ \t]: the value is on the key's line, and `^\s*` would rescan long runs of blank lines.
const NPMRC_AUTH = /^[ \t]*\/\/[^\s:]+\/:(_auth(?:Token)?)[ \t]*=[ \t]*(?!\$\{)(\S{8,})/dgm;

export default secretPattern({
  id: 'SECRET-11',
  severity: 'critical',
  title: 'npm token',
  description: 'An npm access token (npm_ followed by 36 characters), or an .npmrc `//registry/:_authToken=` or `:_auth=` line with a literal value, appears in a file.',
  remediation: 'Revoke the token (npm token revoke, or the registry\'s settings) and write `//registry/:_authToken=${NPM_TOKEN}` so the token comes from the environment.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (text.includes('npm_')) {
      for (const match of text.matchAll(NPM_TOKEN)) {
        yield { index: match.index, secret: match[0], message: 'npm access token (npm_)' };
      }
    }
    if (text.includes(':_auth')) {
      for (const match of text.matchAll(NPMRC_AUTH)) {
        yield { ...captured(match, 2), message: `npm registry credential written literally in .npmrc (${match[1]})` };
      }
    }
  },
});
