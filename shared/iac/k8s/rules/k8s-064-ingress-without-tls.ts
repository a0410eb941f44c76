import { asArray, asMap, type Manifest } from '../manifest.ts';
import { k8sRule } from '../rule.ts';

/** Ingress in every API version it was served under. */
export const isIngress = (m: Manifest): boolean =>
  m.kind === 'Ingress' && (m.apiVersion.startsWith('networking.k8s.io/') || m.apiVersion === 'extensions/v1beta1');

export default k8sRule({
  id: 'K8S-064',
  severity: 'medium',
  title: 'Ingress without TLS',
  description: 'An Ingress (networking.k8s.io or extensions/v1beta1) has no non-empty spec.tls, so its hosts are served over plain HTTP.',
  remediation: 'Add spec.tls with the hosts and a certificate Secret (for example issued by cert-manager).',
  compliance: ['NSA-CISA Network separation: encryption', 'NIST-800-190 4.3.3', 'NIST-800-190 4.4.2', 'PCI-DSS 1.3.1', 'PCI-DSS 1.3.2', 'PCI-DSS 1.4.1', 'PCI-DSS 4.2.1', 'MITRE T1046'],
  *check({ manifest }) {
    if (!isIngress(manifest)) return;
    if (asArray(asMap(manifest.object.spec)?.tls).length > 0) return;
    yield { path: ['spec', 'tls'], message: 'the Ingress sets no spec.tls: traffic to its hosts is not encrypted' };
  },
});
