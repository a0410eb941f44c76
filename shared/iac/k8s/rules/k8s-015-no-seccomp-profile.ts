import { asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

const CONFINING_TYPES = ['RuntimeDefault', 'Localhost'];
const LEGACY_ANNOTATION = /^(?:container\.)?seccomp\.security\.alpha\.kubernetes\.io\//;

export default containerRule({
  id: 'K8S-015',
  severity: 'medium',
  title: 'No seccomp profile',
  description:
    "A container's effective seccompProfile.type is not RuntimeDefault or Localhost; unset counts, because most runtimes then run it unconfined. The deprecated seccomp annotations do not count.",
  remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a profile) on the pod or the container.',
  compliance: ['CIS-K8S 5.7.2', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  linuxOnly: true,
  check(c, pod) {
    const profile = c.effective('seccompProfile');
    const type = asMap(profile?.value)?.type;
    if (typeof type === 'string' && CONFINING_TYPES.includes(type)) return;
    const legacy = Object.keys(asMap(pod.meta.annotations) ?? {}).some((key) => LEGACY_ANNOTATION.test(key));
    const problem = !profile ? 'has no seccomp profile' : typeof type === 'string' ? `has seccompProfile type ${type}` : 'has a seccompProfile without a type';
    return {
      path: profile ? [...profile.path, 'type'] : [...c.path, 'securityContext', 'seccompProfile'],
      message: `${describeContainer(c)} ${problem}${legacy ? ' (the seccomp.security.alpha.kubernetes.io annotations are obsolete and do not count: use securityContext.seccompProfile)' : ''}`,
    };
  },
});
