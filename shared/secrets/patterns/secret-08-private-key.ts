import { PRIVATE_KEY_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const BEGIN = /-----BEGIN ((?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?)-----/g;
const SHORTEST_BODY = 32;
/** The END line must follow within 64 KB (a bounded search, never a backtracking regex over the whole file). */
const LONGEST_BODY = 65536;

export default secretPattern({
  id: 'SECRET-08',
  severity: 'critical',
  title: 'Private key',
  description: 'A PEM private key block (RSA, DSA, EC, OpenSSH, PKCS#8, encrypted PKCS#8 or PGP) with its body and matching END line appears in a file.',
  remediation: 'Treat the key as compromised: revoke or rotate it (and any certificate issued for it), remove it from the repository or image, and mount keys at run time from a secret store.',
  compliance: [...PRIVATE_KEY_COMPLIANCE],
  *find(text) {
    if (!text.includes('PRIVATE KEY')) return;
    for (const begin of text.matchAll(BEGIN)) {
      const label = begin[1];
      const bodyStart = begin.index + begin[0].length;
      const end = `-----END ${label}-----`;
      // A body never holds another BEGIN line: an unterminated block stops there, so each part of the text is searched once.
      const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
      const searchEnd = Math.min(bodyStart + LONGEST_BODY + end.length, nextBegin < 0 ? text.length : nextBegin);
      const bodyLength = text.slice(bodyStart, searchEnd).indexOf(end);
      if (bodyLength < SHORTEST_BODY) continue;
      const body = text.slice(bodyStart, bodyStart + bodyLength);
      // Key material without line breaks, also when the block sits in a string with \n escapes.
      const material = body.replace(/\\[nr]|\s/g, '');
      const encrypted = isEncrypted(label, body, material);
      yield {
        index: begin.index,
        secret: material,
        // A passphrase still protects an encrypted key.
        severity: encrypted ? 'medium' : 'critical',
        message: `Private key block (${label})${encrypted ? ', encrypted with a passphrase' : ''}`,
      };
    }
  },
});

/** ENCRYPTED PRIVATE KEY (PKCS#8), a legacy `Proc-Type: 4,ENCRYPTED` header, or an OpenSSH key whose cipher is not `none`. */
function isEncrypted(label: string, body: string, material: string): boolean {
  if (label.startsWith('ENCRYPTED ')) return true;
  if (/Proc-Type:\s*4,ENCRYPTED/.test(body)) return true;
  return label === 'OPENSSH PRIVATE KEY' && openSshCipher(material) !== 'none';
}

const OPENSSH_MAGIC = 'openssh-key-v1\0';

/** The cipher name an OpenSSH key is stored with (`none` when unencrypted or unreadable). */
function openSshCipher(material: string): string {
  const bytes = Buffer.from(material, 'base64');
  const lengthAt = OPENSSH_MAGIC.length;
  if (bytes.length < lengthAt + 4 || bytes.toString('latin1', 0, lengthAt) !== OPENSSH_MAGIC) return 'none';
  const length = bytes.readUInt32BE(lengthAt);
  return bytes.toString('latin1', lengthAt + 4, Math.min(bytes.length, lengthAt + 4 + length)) || 'none';
}
