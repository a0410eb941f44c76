/**
 * `WWW-Authenticate` challenges as registries send them (RFC 7235 auth-params):
 * `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:app:pull"`
 * or `Basic realm="..."`.
 */

export interface Challenge {
  scheme: 'bearer' | 'basic' | string;
  params: Record<string, string>;
}

const PARAM = /([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/y;

/** The first challenge of the header (registries send one), or null when there is none. */
export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const scheme = /^\s*([A-Za-z][A-Za-z0-9_-]*)/.exec(header);
  if (!scheme) return null;
  const params: Record<string, string> = {};
  let at = scheme[0].length;
  for (;;) {
    while (at < header.length && /[\s,]/.test(header[at])) at++;
    PARAM.lastIndex = at;
    const m = PARAM.exec(header);
    if (!m) break;
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    at = PARAM.lastIndex;
  }
  return { scheme: scheme[1].toLowerCase(), params };
}
