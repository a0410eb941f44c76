import { asArray, asMap } from '../manifest.ts';
import { k8sRule } from '../rule.ts';

export default k8sRule({
  id: 'K8S-063',
  severity: 'high',
  title: 'Service with externalIPs',
  description: 'A Service sets a non-empty spec.externalIPs, which lets it intercept traffic to those addresses (CVE-2020-8554).',
  remediation: 'Remove spec.externalIPs; expose the Service through a LoadBalancer or an Ingress, and block externalIPs with admission control.',
  compliance: ['NSA-CISA Network separation and hardening', 'NIST-800-190 4.3.3', 'NIST-800-190 4.4.2', 'PCI-DSS 1.3.1', 'PCI-DSS 1.3.2', 'PCI-DSS 1.4.1', 'MITRE T1046', 'MITRE T1557'],
  *check({ manifest }) {
    // Only the core Service (a Knative Service is a different object).
    if (manifest.kind !== 'Service' || manifest.apiVersion !== 'v1') return;
    const externalIPs = asArray(asMap(manifest.object.spec)?.externalIPs);
    if (externalIPs.length === 0) return;
    yield { path: ['spec', 'externalIPs'], message: `spec.externalIPs routes ${externalIPs.map(String).join(', ')} to this Service` };
  },
});
