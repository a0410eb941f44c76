// Secret-named variables (IMG-040, and IMG-042 for build args and history): the key suggests a
// credential and the value is not a placeholder.

const SECRET_NAME = /PASS(?:WORD|WD)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
/** `changeme`, `xxx`, `${VAR}` (a reference, not a value). */
const PLACEHOLDER = /^(?:change[_-]?me|x{3,}|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)$/i;

/** Whether `key=value` sets a secret-named variable to something that looks like a real value. */
export function isSecretAssignment(key: string, value: string): boolean {
  if (!SECRET_NAME.test(key)) return false;
  // `POSTGRES_PASSWORD_FILE=/run/secrets/db`: a path to where the secret is mounted, the recommended way.
  if (/_FILE$/i.test(key)) return false;
  const v = value.trim().replace(/^(["'])(.*)\1$/, '$2');
  return v !== '' && !PLACEHOLDER.test(v);
}

/** `KEY=value` split at the first `=`; null for entries without one. */
export function splitAssignment(entry: string): [string, string] | null {
  const eq = entry.indexOf('=');
  return eq <= 0 ? null : [entry.slice(0, eq), entry.slice(eq + 1)];
}
