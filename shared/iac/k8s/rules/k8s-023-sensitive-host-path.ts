import * as z from 'zod';
import { asArray, asMap, asString } from '../manifest.ts';
import { podRule, type K8sHit } from '../rule.ts';
import type { PodTemplate } from '../workload.ts';

const SENSITIVE_PATHS = [
  '/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/proc', '/root', '/sbin', '/sys', '/usr', '/var',
  '/var/lib', '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet', '/var/lib/etcd', '/etc/kubernetes', '/etc/shadow',
];
/** Plain string prefixes: "/proc/" covers everything below /proc, "/etc/sudoers" also covers /etc/sudoers.d. */
const SENSITIVE_PREFIXES = ['/proc/', '/root/', '/etc/kubernetes/', '/var/lib/kubelet/', '/var/lib/etcd/', '/etc/sudoers'];

/** "/etc/" and "/etc" name the same directory; "/" stays "/". */
const withoutTrailingSlash = (path: string) => path.replace(/\/+$/, '') || '/';

export default podRule({
  id: 'K8S-023',
  severity: 'high',
  title: 'Sensitive host directory mounted',
  description:
    'A hostPath volume points at a sensitive node path (/, /etc, /proc, /var/lib/kubelet, /etc/kubernetes, /etc/shadow, ...; list configurable), exposing node credentials or control of the node.',
  remediation: 'Do not mount system directories of the node; mount only the narrowest path the workload needs, read-only, or use another volume type.',
  compliance: ['CIS-K8S 5.2.12', 'NSA-CISA Pod security enforcement', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.5', 'PCI-DSS 2.2.6', 'MITRE T1611', 'MITRE T1552.001'],
  optionsSchema: z.strictObject({
    /** Host paths reported when mounted exactly (compared without a trailing "/"). */
    paths: z.array(z.string()).default(SENSITIVE_PATHS),
    /** Host paths reported when they start with one of these strings. */
    prefixes: z.array(z.string()).default(SENSITIVE_PREFIXES),
  }),
  *check(pod: PodTemplate, { options }): Generator<K8sHit> {
    const exact = new Set(options.paths.map(withoutTrailingSlash));
    for (const [index, volume] of asArray(pod.spec.volumes).entries()) {
      const raw = asString(asMap(asMap(volume)?.hostPath)?.path);
      if (raw === undefined) continue;
      const hostPath = withoutTrailingSlash(raw);
      if (!exact.has(hostPath) && !options.prefixes.some((prefix) => hostPath.startsWith(prefix))) continue;
      const name = asString(asMap(volume)?.name) ?? `volumes[${index}]`;
      yield { path: [...pod.specPath, 'volumes', index, 'hostPath', 'path'], message: `volume "${name}" mounts the sensitive host path ${raw}` };
    }
  },
});
