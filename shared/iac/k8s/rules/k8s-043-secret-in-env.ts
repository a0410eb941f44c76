import { asArray, asMap, asString, isMap } from '../manifest.ts';
import { describeContainer, podRule, type K8sHit } from '../rule.ts';
import { containersOf } from '../workload.ts';

export default podRule({
  id: 'K8S-043',
  severity: 'low',
  title: 'Secret exposed through environment variables',
  description:
    'A container reads a Secret into its environment (env[].valueFrom.secretKeyRef or envFrom[].secretRef), where crash dumps, /proc, child processes and logs can see it.',
  remediation: 'Mount the Secret as a read-only volume and read it from the file instead.',
  compliance: ['CIS-K8S 5.4.1', 'NSA-CISA Network separation: secrets', 'NIST-800-190 4.1.4', 'NIST-800-190 4.3.2', 'PCI-DSS 8.6.2', 'PCI-DSS 8.6.3', 'PCI-DSS 3.6.1', 'MITRE T1552.001', 'MITRE T1552.007'],
  *check(pod): Iterable<K8sHit> {
    for (const c of containersOf(pod)) {
      const env = asArray(c.container.env);
      for (let i = 0; i < env.length; i++) {
        const ref = asMap(asMap(env[i])?.valueFrom)?.secretKeyRef;
        if (!isMap(ref)) continue;
        const name = asString(asMap(env[i])?.name) ?? `env[${i}]`;
        yield {
          path: [...c.path, 'env', i, 'valueFrom', 'secretKeyRef'],
          message: `${describeContainer(c)} sets ${name} from Secret "${asString(ref.name) ?? '?'}"`,
          container: c,
        };
      }
      const envFrom = asArray(c.container.envFrom);
      for (let i = 0; i < envFrom.length; i++) {
        const ref = asMap(envFrom[i])?.secretRef;
        if (!isMap(ref)) continue;
        yield {
          path: [...c.path, 'envFrom', i, 'secretRef'],
          message: `${describeContainer(c)} loads every key of Secret "${asString(ref.name) ?? '?'}" into its environment`,
          container: c,
        };
      }
    }
  },
});
