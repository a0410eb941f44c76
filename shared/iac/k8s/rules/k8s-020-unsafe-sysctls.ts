import { asArray, asMap, asString } from '../manifest.ts';
import { podRule, type K8sHit } from '../rule.ts';
import { podSecurityField, type PodTemplate } from '../workload.ts';

/** The Pod Security Standards baseline set of namespaced, node-safe sysctls. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

export default podRule({
  id: 'K8S-020',
  severity: 'high',
  title: 'Unsafe sysctls',
  description: "The pod's securityContext.sysctls set a kernel parameter outside the Pod Security Standards baseline safe set.",
  remediation: 'Remove the sysctl, or tune it on dedicated nodes instead of from the pod.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  *check(pod: PodTemplate): Generator<K8sHit> {
    const sysctls = podSecurityField(pod, 'sysctls');
    if (!sysctls) return;
    for (const [index, entry] of asArray(sysctls.value).entries()) {
      const name = asString(asMap(entry)?.name);
      // Kubernetes accepts "/" as well as "." between the parts of a name.
      if (name === undefined || SAFE_SYSCTLS.has(name.replaceAll('/', '.'))) continue;
      yield { path: [...sysctls.path, index, 'name'], message: `the pod sets the unsafe sysctl ${name}` };
    }
  },
});
