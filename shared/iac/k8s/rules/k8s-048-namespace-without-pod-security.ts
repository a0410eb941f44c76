import { labelsOf } from '../manifest.ts';
import { k8sRule } from '../rule.ts';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

export default k8sRule({
  id: 'K8S-048',
  severity: 'medium',
  title: 'Namespace without Pod Security Admission enforcement',
  description: `A Namespace lacks the label ${ENFORCE_LABEL} or sets it to "privileged", so Pod Security Admission rejects nothing in it.`,
  remediation: `Label the namespace ${ENFORCE_LABEL}: restricted (or baseline where restricted is not yet possible).`,
  compliance: ['CIS-K8S 5.2.1', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.3.4', 'PCI-DSS 2.2.3', 'PCI-DSS 2.2.1', 'MITRE T1610'],
  *check({ manifest: m }) {
    if (m.kind !== 'Namespace') return;
    const level = labelsOf(m.object.metadata)[ENFORCE_LABEL];
    if (level !== undefined && level !== 'privileged') return;
    yield {
      path: ['metadata', 'labels', ENFORCE_LABEL],
      message: level === undefined ? `Namespace "${m.name ?? '?'}" has no ${ENFORCE_LABEL} label` : `Namespace "${m.name ?? '?'}" enforces the privileged level (no restrictions)`,
    };
  },
});
