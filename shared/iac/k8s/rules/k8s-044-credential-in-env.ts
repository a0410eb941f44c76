import { isCredentialLiteral, isSensitiveName, matchesSensitiveValue } from '../../sensitive.ts';
import { asArray, asMap, asString } from '../manifest.ts';
import { describeContainer, podRule, type K8sHit } from '../rule.ts';
import { containersOf } from '../workload.ts';

export default podRule({
  id: 'K8S-044',
  severity: 'high',
  title: 'Hard-coded credential in an env var',
  description:
    'A container env[] entry has a literal value that looks like a credential (private key, cloud or API token, JWT, URL with a password), or a sensitive name (PASSWORD, TOKEN, API_KEY, ...) with a literal value that is not a reference, template, path, number or boolean.',
  remediation: 'Move the value into a Secret (or an external secret store) and reference it; rotate the exposed credential.',
  compliance: ['CIS-K8S 5.4.1', 'NSA-CISA Network separation: secrets', 'NIST-800-190 4.1.4', 'NIST-800-190 4.3.2', 'PCI-DSS 8.6.2', 'PCI-DSS 8.6.3', 'PCI-DSS 3.6.1', 'MITRE T1552.001', 'MITRE T1552.007'],
  *check(pod): Iterable<K8sHit> {
    for (const c of containersOf(pod)) {
      const env = asArray(c.container.env);
      for (let i = 0; i < env.length; i++) {
        const entry = asMap(env[i]);
        const name = asString(entry?.name) ?? '';
        const value = entry?.value;
        const why = matchesSensitiveValue(value)
          ? 'a value that looks like a credential'
          : isSensitiveName(name) && isCredentialLiteral(value)
            ? 'a literal value for a sensitive name'
            : undefined;
        if (!why) continue;
        yield { path: [...c.path, 'env', i, 'value'], message: `${describeContainer(c)} env ${name || `[${i}]`} has ${why}`, container: c };
      }
    }
  },
});
