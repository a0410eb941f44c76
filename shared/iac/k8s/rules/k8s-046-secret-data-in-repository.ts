import { asArray, asMap, asString, isMap } from '../manifest.ts';
import { k8sRule, type K8sHit } from '../rule.ts';

const nonEmptyMap = (v: unknown): boolean => isMap(v) && Object.keys(v).length > 0;

export default k8sRule({
  id: 'K8S-046',
  severity: 'high',
  title: 'Secret manifest with inline data in the repository',
  description:
    'A Secret (other than a service-account token) carries data or stringData in the repository, or a kustomize secretGenerator has literals. SealedSecret, ExternalSecret and SOPS-encrypted files (a top-level sops: block) pass.',
  remediation: 'Keep secret values out of the repository: use SealedSecrets, External Secrets, SOPS encryption or a CSI secret store; rotate the exposed values.',
  compliance: ['CIS-K8S 5.4.2', 'NSA-CISA Network separation: secrets', 'NIST-800-190 4.1.4', 'NIST-800-190 4.3.2', 'PCI-DSS 8.6.2', 'PCI-DSS 8.6.3', 'PCI-DSS 3.6.1', 'MITRE T1552.001', 'MITRE T1552.007'],
  *check({ manifest: m }): Iterable<K8sHit> {
    if (m.kind === 'Secret') {
      if (m.object.type === 'kubernetes.io/service-account-token' || isMap(m.object.sops)) return;
      for (const field of ['data', 'stringData']) {
        if (nonEmptyMap(m.object[field])) yield { path: [field], message: `Secret "${m.name ?? '?'}" has inline ${field}` };
      }
    } else if (m.kind === 'Kustomization' && m.apiVersion.startsWith('kustomize.config.k8s.io/')) {
      const generators = asArray(m.object.secretGenerator);
      for (let i = 0; i < generators.length; i++) {
        const generator = asMap(generators[i]);
        if (asArray(generator?.literals).length === 0) continue;
        yield { path: ['secretGenerator', i, 'literals'], message: `secretGenerator "${asString(generator?.name) ?? `#${i}`}" has literal values` };
      }
    }
  },
});
