import { asString } from '../manifest.ts';
import { podRule } from '../rule.ts';

export default podRule({
  id: 'K8S-031',
  severity: 'low',
  title: 'Uses the default ServiceAccount',
  description: `The pod runs as its namespace's default ServiceAccount: serviceAccountName (and the deprecated serviceAccount) is unset, empty or "default".`,
  remediation: 'Create a dedicated ServiceAccount for the workload, grant it only what it needs and set serviceAccountName to it.',
  compliance: ['CIS-K8S 5.1.5', 'NSA-CISA Authentication and authorization', 'NIST-800-190 4.3.2', 'NIST-800-190 4.3.1', 'PCI-DSS 7.2.2', 'PCI-DSS 7.2.5', 'PCI-DSS 2.2.2', 'MITRE T1528', 'MITRE T1552.007', 'MITRE T1078.001'],
  check(pod) {
    // serviceAccountName wins over the deprecated serviceAccount, as in the API server; empty counts as unset.
    const field = asString(pod.spec.serviceAccountName) ? 'serviceAccountName' : asString(pod.spec.serviceAccount) ? 'serviceAccount' : undefined;
    if (field && pod.spec[field] !== 'default') return;
    return {
      path: [...pod.specPath, field ?? 'serviceAccountName'],
      message: field ? `${field} is "default"` : 'no serviceAccountName is set, so the pod runs as the "default" ServiceAccount',
    };
  },
});
