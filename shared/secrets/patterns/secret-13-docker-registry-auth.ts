import { SECRET_COMPLIANCE, captured } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const AUTHS_OBJECT = /"auths"\s*:\s*\{/;
const AUTH = /"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})"/dg;

export default secretPattern({
  id: 'SECRET-13',
  severity: 'high',
  title: 'Docker registry credentials',
  description: 'A Docker config.json holds `auths.<registry>.auth`, the base64 of `user:password` for that registry.',
  remediation: 'Change the registry password or token, remove the auths entry (docker logout), and use a credential helper (credsStore/credHelpers) or a Kubernetes imagePullSecret created at deploy time.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('"auths"')) return;
    // One pass: an "auths" nested in an auths object is part of it.
    for (let auths = firstAuths(text, 0); auths; auths = firstAuths(text, auths.close + 1)) {
      const { open, close } = auths;
      const inside = text.slice(open, close + 1);
      for (const match of inside.matchAll(AUTH)) {
        const { index, secret } = captured(match, 1);
        const credentials = Buffer.from(secret, 'base64').toString('utf8');
        const colon = credentials.indexOf(':');
        // Only `user:password` with a password is a credential.
        if (colon < 0 || colon === credentials.length - 1) continue;
        yield {
          index: open + index,
          secret,
          value: credentials,
          message: 'Docker registry credentials (auths.<registry>.auth holds base64 user:password)',
        };
      }
    }
  },
});

/** The first `"auths": {…}` object at or after `from`: offsets of its braces. */
function firstAuths(text: string, from: number): { open: number; close: number } | null {
  const regex = new RegExp(AUTHS_OBJECT.source, 'g');
  regex.lastIndex = from;
  const match = regex.exec(text);
  if (!match) return null;
  const open = match.index + match[0].length - 1;
  return { open, close: closingBrace(text, open) };
}

/** The offset of the `}` closing the object that opens at `open` (the text's end if it never closes); braces in strings do not count. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return text.length;
}
