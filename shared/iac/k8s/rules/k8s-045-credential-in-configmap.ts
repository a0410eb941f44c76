import { isCredentialLiteral, isSensitiveName, matchesSensitiveValue } from '../../sensitive.ts';
import { asMap } from '../manifest.ts';
import { k8sRule, type K8sHit } from '../rule.ts';

/**
 * A `NAME=value` or `NAME: value` line of an embedded config file (.env, properties, YAML, JSON),
 * optionally prefixed by `export`, with the name quoted or not and a trailing comma ignored.
 */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[=:]\s*(.*?)\s*,?\s*$/;

/** What follows `name:` when the value is on later lines or absent: a block scalar, a nested object, a null. */
const NO_INLINE_VALUE = /^(?:[|>][-+0-9]*|[{[]|null|~)$/;

/** Names of the lines of a value that assign a credential literal to a sensitive name. */
function credentialLines(value: string): string[] {
  const names: string[] = [];
  for (const line of value.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (m && isSensitiveName(m[1]) && !NO_INLINE_VALUE.test(m[2]) && isCredentialLiteral(m[2])) names.push(m[1]);
  }
  return names;
}

export default k8sRule({
  id: 'K8S-045',
  severity: 'high',
  title: 'Credential in a ConfigMap',
  description:
    'A ConfigMap data entry has a sensitive key with a credential literal, a value that looks like a credential, or a line such as DB_PASSWORD=supersecret (a sensitive name assigned a literal) inside its value.',
  remediation: 'Move the credential into a Secret (or an external secret store) and reference it from the configuration; rotate the exposed credential.',
  compliance: ['CIS-K8S 5.4.1', 'NSA-CISA Network separation: secrets', 'NIST-800-190 4.1.4', 'NIST-800-190 4.3.2', 'PCI-DSS 8.6.2', 'PCI-DSS 8.6.3', 'PCI-DSS 3.6.1', 'MITRE T1552.001', 'MITRE T1552.007'],
  *check({ manifest: m }): Iterable<K8sHit> {
    if (m.kind !== 'ConfigMap') return;
    for (const [key, value] of Object.entries(asMap(m.object.data) ?? {})) {
      if (typeof value !== 'string') continue;
      let why: string | undefined;
      // A multi-line value is a file (its key is a file name): its lines are judged one by one below.
      if (isSensitiveName(key) && !value.trim().includes('\n') && isCredentialLiteral(value)) why = 'a literal value for a sensitive key';
      else if (matchesSensitiveValue(value)) why = 'a value that looks like a credential';
      else {
        const names = credentialLines(value);
        if (names.length > 0) why = `literal credentials in its content (${[...new Set(names)].join(', ')})`;
      }
      if (why) yield { path: ['data', key], message: `ConfigMap key "${key}" has ${why}` };
    }
  },
});
