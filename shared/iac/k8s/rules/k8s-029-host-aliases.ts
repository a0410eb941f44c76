import { asArray, asMap, stringsOf } from '../manifest.ts';
import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-029',
  severity: 'low',
  title: 'Pod manages /etc/hosts',
  description: 'The pod spec sets a non-empty hostAliases, overriding name resolution inside the pod through /etc/hosts.',
  remediation: 'Remove hostAliases and publish the names through DNS (a Service or an ExternalName Service).',
  compliance: ['NIST-800-190 4.4.2', 'NIST-800-190 4.3.3', 'PCI-DSS 1.3.1', 'PCI-DSS 2.2.4', 'MITRE T1133', 'MITRE T1021.004'],
  check(pod) {
    const aliases = asArray(pod.spec.hostAliases);
    if (aliases.length === 0) return;
    const hostnames = aliases.flatMap((alias) => stringsOf(asMap(alias)?.hostnames));
    return {
      path: [...pod.specPath, 'hostAliases'],
      message: `the pod adds /etc/hosts entries through hostAliases${hostnames.length ? ` (${hostnames.join(', ')})` : ''}`,
    };
  },
});
