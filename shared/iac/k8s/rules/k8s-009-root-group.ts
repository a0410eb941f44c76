import { asArray } from '../manifest.ts';
import { describeContainer, podRule, type K8sHit } from '../rule.ts';
import { containersOf, podSecurityField, type PodTemplate } from '../workload.ts';

export default podRule({
  id: 'K8S-009',
  severity: 'low',
  title: 'Root group',
  description: "A container's effective runAsGroup is 0, or the pod's fsGroup is 0, or the pod's supplementalGroups contain 0.",
  remediation: 'Use non-zero group ids for runAsGroup, fsGroup and supplementalGroups.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: non-root containers', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.4', 'PCI-DSS 2.2.6', 'PCI-DSS 7.2.5', 'MITRE T1611', 'MITRE T1068'],
  *check(pod: PodTemplate): Generator<K8sHit> {
    for (const c of containersOf(pod)) {
      const gid = c.effective('runAsGroup');
      if (gid?.value === 0) yield { path: gid.path, container: c, message: `${describeContainer(c)} runs with the root group (runAsGroup: 0)` };
    }
    const fsGroup = podSecurityField(pod, 'fsGroup');
    if (fsGroup?.value === 0) yield { path: fsGroup.path, message: 'the pod sets fsGroup: 0, so its volumes belong to the root group' };
    const supplemental = podSecurityField(pod, 'supplementalGroups');
    const rootIndex = asArray(supplemental?.value).indexOf(0);
    if (supplemental && rootIndex >= 0) {
      yield { path: [...supplemental.path, rootIndex], message: 'the pod adds the root group 0 to supplementalGroups' };
    }
  },
});
