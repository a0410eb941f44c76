import { asArray, asMap, asString } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';
import type { PodTemplate } from '../workload.ts';

function hostPathVolumeNames(pod: PodTemplate): Set<string> {
  const names = new Set<string>();
  for (const volume of asArray(pod.spec.volumes)) {
    const v = asMap(volume);
    const name = asString(v?.name);
    if (name !== undefined && v?.hostPath !== undefined && v.hostPath !== null) names.add(name);
  }
  return names;
}

export default containerRule({
  id: 'K8S-025',
  severity: 'high',
  title: 'hostPath mounted writable',
  description: 'A container mounts a hostPath volume without readOnly: true, so it can change files of the node.',
  remediation: 'Set readOnly: true on the volumeMounts entry, or replace the hostPath volume.',
  compliance: ['CIS-K8S 5.2.12', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.5', 'PCI-DSS 2.2.6', 'MITRE T1611', 'MITRE T1552.001'],
  check(c, pod) {
    const hostPaths = hostPathVolumeNames(pod);
    const writable = asArray(c.container.volumeMounts).flatMap((mount, index) => {
      const m = asMap(mount);
      const name = asString(m?.name);
      return name !== undefined && hostPaths.has(name) && m?.readOnly !== true ? [{ name, index }] : [];
    });
    if (writable.length === 0) return;
    return {
      path: [...c.path, 'volumeMounts', writable[0].index, 'readOnly'],
      message: `${describeContainer(c)} mounts the hostPath volume${writable.length > 1 ? 's' : ''} ${writable.map((w) => `"${w.name}"`).join(', ')} writable`,
    };
  },
});
