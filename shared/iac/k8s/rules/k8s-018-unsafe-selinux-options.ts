import { asMap, getIn } from '../manifest.ts';
import { describeContainer, podRule, type K8sHit } from '../rule.ts';
import { containersOf, podSecurityField, type PodTemplate } from '../workload.ts';
import type { Path } from '../../yaml/positions.ts';

const ALLOWED_TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The unsafe fields of one seLinuxOptions map: a type outside the allowed ones, any user or role. */
function unsafeFields(options: unknown): string[] {
  const o = asMap(options);
  if (!o) return [];
  const allowedType = typeof o.type === 'string' && ALLOWED_TYPES.includes(o.type);
  return ['type', 'user', 'role'].filter((f) => isSet(o[f]) && !(f === 'type' && allowedType));
}

function describeUnsafe(fields: string[], options: unknown): string {
  return fields.map((f) => `${f} ${JSON.stringify(asMap(options)?.[f])}`).join(', ');
}

export default podRule({
  id: 'K8S-018',
  severity: 'medium',
  title: 'Unsafe SELinux options',
  description:
    'The pod-level or a container seLinuxOptions sets a type other than container_t, container_init_t, container_kvm_t or container_engine_t, or sets user or role.',
  remediation: 'Remove seLinuxOptions.user and role, and use one of the container SELinux types (or leave the type unset).',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  linuxOnly: true,
  // Checked where written, not as the effective value: the pod-level options also label the pod sandbox.
  *check(pod: PodTemplate): Generator<K8sHit> {
    const podOptions = podSecurityField(pod, 'seLinuxOptions');
    const podUnsafe = unsafeFields(podOptions?.value);
    if (podOptions && podUnsafe.length > 0) {
      yield { path: [...podOptions.path, podUnsafe[0]], message: `the pod's seLinuxOptions set ${describeUnsafe(podUnsafe, podOptions.value)}` };
    }
    for (const c of containersOf(pod)) {
      const optionsPath: Path = [...c.path, 'securityContext', 'seLinuxOptions'];
      const options = getIn(c.container, ['securityContext', 'seLinuxOptions']);
      const unsafe = unsafeFields(options);
      if (unsafe.length === 0) continue;
      yield { path: [...optionsPath, unsafe[0]], container: c, message: `${describeContainer(c)} seLinuxOptions set ${describeUnsafe(unsafe, options)}` };
    }
  },
});
