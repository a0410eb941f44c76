import { annotationsOf } from '../manifest.ts';
import { k8sRule } from '../rule.ts';
import { isIngress } from './k8s-064-ingress-without-tls.ts';

const SNIPPET_ANNOTATIONS = ['configuration-snippet', 'server-snippet', 'auth-snippet', 'stream-snippet', 'modsecurity-snippet'].map(
  (name) => `nginx.ingress.kubernetes.io/${name}`,
);

export default k8sRule({
  id: 'K8S-065',
  severity: 'high',
  title: 'ingress-nginx snippet annotations',
  description:
    'An Ingress carries an ingress-nginx snippet annotation (configuration-, server-, auth-, stream- or modsecurity-snippet), which injects arbitrary NGINX configuration (CVE-2021-25742 and later).',
  remediation: 'Remove the snippet annotation and use the dedicated ingress-nginx annotations or a ConfigMap owned by the platform team; keep allow-snippet-annotations disabled on the controller.',
  compliance: ['NSA-CISA Network separation and hardening', 'NIST-800-190 4.3.3', 'NIST-800-190 4.4.2', 'PCI-DSS 1.3.1', 'PCI-DSS 1.3.2', 'PCI-DSS 1.4.1', 'MITRE T1046', 'MITRE T1190'],
  *check({ manifest }) {
    if (!isIngress(manifest)) return;
    const annotations = annotationsOf(manifest.object);
    for (const key of SNIPPET_ANNOTATIONS) {
      if (!Object.hasOwn(annotations, key)) continue;
      yield { path: ['metadata', 'annotations', key], message: `annotation ${key} injects raw NGINX configuration` };
    }
  },
});
