/**
 * Sensitive names and credential-looking values (catalog iac.md §6), shared by K8S-044/045 and DOCKER-006.
 */
const SENSITIVE_TOKENS = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'pass', 'pword', 'pswrd', 'passwrd', 'secret', 'secrets', 'secretkey',
  'token', 'credential', 'credentials', 'apikey', 'bearer', 'privatekey', 'clientsecret', 'appsecret',
]);
const KEY_FOLLOWERS = new Set(['content', 'data', 'material']);
const NON_SECRET_LAST = new Set([
  'file', 'path', 'dir', 'url', 'uri', 'name', 'ttl', 'timeout', 'expiry', 'expiration', 'length', 'size', 'enabled',
  'type', 'id', 'count', 'header', 'endpoint',
]);

/** Lower-case tokens split at non-alphanumerics and camelCase boundaries: "dbPassword_FILE" → [db, password, file]. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

export function isSensitiveName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  const last = tokens[tokens.length - 1];
  if (NON_SECRET_LAST.has(last)) return false;
  if (tokens.some((t) => SENSITIVE_TOKENS.has(t))) return true;
  if (last === 'key') return true;
  return tokens.some((t, i) => t === 'key' && KEY_FOLLOWERS.has(tokens[i + 1] ?? ''));
}

const SENSITIVE_VALUE_PATTERNS: RegExp[] = [
  // PEM and PGP armour headers: RSA/EC/OPENSSH/ENCRYPTED/... PRIVATE KEY, PGP PRIVATE KEY BLOCK.
  /-+BEGIN[A-Z0-9 ]* PRIVATE KEY[A-Z ]*-+/,
  /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/,
  /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})/,
  /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/,
  /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/,
  // scheme://user:password@ (the user may be empty, as in redis://:password@); a password that is a
  // reference or template (postgres://app:${DB_PASSWORD}@db) is not embedded.
  /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:(?![$]|\{\{)[^\s@/]+@/i,
];

/** A value that looks like a credential whatever its name (PEM key, AWS key id, GitHub/Slack token, ...). */
export function matchesSensitiveValue(value: unknown): boolean {
  return typeof value === 'string' && SENSITIVE_VALUE_PATTERNS.some((re) => re.test(value));
}

/**
 * A literal that could be a credential: not empty, a boolean, an integer, a reference
 * (`$(VAR)`, `${VAR}`, `$(< file)`), a template (`{{ … }}`) or an absolute path.
 * Surrounding quotes (`DB_PASSWORD="${DB_PASSWORD}"` in a config file) are not part of the value.
 */
export function isCredentialLiteral(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const v = unquote(value.trim());
  if (v === '') return false;
  if (/^(?:true|false|yes|no|on|off)$/i.test(v)) return false;
  if (/^[+-]?\d+$/.test(v)) return false;
  if (/^\$\([^)]*\)$|^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return false;
  if (/^\{\{.*\}\}$/s.test(v)) return false;
  if (v.startsWith('/')) return false;
  return true;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1).trim() : v;
}
