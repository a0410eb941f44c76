import { asArray, asMap, asString } from '../manifest.ts';
import { podRule, type K8sHit } from '../rule.ts';
import type { PodTemplate } from '../workload.ts';

export default podRule({
  id: 'K8S-022',
  severity: 'medium',
  title: 'hostPath volume',
  description: 'A pod volume is a hostPath volume, giving the pod a directory or file of the node (whether or not a container mounts it).',
  remediation: 'Use emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead of hostPath.',
  compliance: ['CIS-K8S 5.2.12', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.5', 'PCI-DSS 2.2.6', 'MITRE T1611', 'MITRE T1552.001'],
  *check(pod: PodTemplate): Generator<K8sHit> {
    for (const [index, volume] of asArray(pod.spec.volumes).entries()) {
      const hostPath = asMap(volume)?.hostPath;
      if (hostPath === undefined || hostPath === null) continue;
      const name = asString(asMap(volume)?.name) ?? `volumes[${index}]`;
      const path = asString(asMap(hostPath)?.path);
      yield {
        path: [...pod.specPath, 'volumes', index, 'hostPath'],
        message: `volume "${name}" is a hostPath volume${path === undefined ? '' : ` of ${path}`}`,
      };
    }
  },
});
