import { SECRET_COMPLIANCE } from '../match.ts';
import { secretPattern } from '../pattern.ts';

const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g;

export default secretPattern({
  id: 'SECRET-15',
  severity: 'medium',
  title: 'JSON Web Token',
  description: 'A signed JWT (three base64url segments whose header and payload decode to JSON) appears in a file; high when it never expires or has not expired yet, medium once expired.',
  remediation: 'Revoke the token or rotate its signing key if it is still valid, remove it from the file, and issue short-lived tokens at run time instead.',
  compliance: [...SECRET_COMPLIANCE],
  *find(text) {
    if (!text.includes('eyJ')) return;
    for (const match of text.matchAll(JWT)) {
      const [headerSegment, payloadSegment] = match[0].split('.');
      const header = decodeJsonSegment(headerSegment);
      const payload = header && decodeJsonSegment(payloadSegment);
      if (!header || !payload) continue;
      // An unsigned token (alg: none) proves nothing and grants nothing.
      if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') continue;
      const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null;
      const live = expiresAt === null || expiresAt > Date.now();
      yield {
        index: match.index,
        secret: match[0],
        severity: live ? 'high' : 'medium',
        message: `JSON Web Token (${expiresAt === null ? 'no expiry' : `${live ? 'expires' : 'expired'} ${dateOf(expiresAt)}`})`,
      };
    }
  },
});

/** A base64url segment's JSON object, or null when it is not one. */
function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  const json = Buffer.from(segment, 'base64url').toString('utf8').trim();
  // A failed JSON.parse is slow, and minified code is full of look-alikes: parse only what can be an object.
  if (!json.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function dateOf(epochMillis: number): string {
  const date = new Date(epochMillis);
  return Number.isNaN(date.getTime()) ? 'at an out-of-range date' : date.toISOString();
}
