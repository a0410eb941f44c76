import { asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-016',
  severity: 'high',
  title: 'Seccomp explicitly unconfined',
  description:
    "A container's effective seccompProfile.type is Unconfined or, when no seccompProfile applies, a legacy seccomp annotation on the pod sets it unconfined.",
  remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) and remove the unconfined seccomp annotations.',
  compliance: ['CIS-K8S 5.7.2', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  linuxOnly: true,
  check(c, pod) {
    const profile = c.effective('seccompProfile');
    // The field wins over the legacy annotations.
    if (profile) {
      if (asMap(profile.value)?.type !== 'Unconfined') return;
      return { path: [...profile.path, 'type'], message: `${describeContainer(c)} runs with seccompProfile type Unconfined` };
    }
    const annotations = asMap(pod.meta.annotations) ?? {};
    // The container's annotation, when present, wins over the pod-wide one.
    for (const key of [`container.seccomp.security.alpha.kubernetes.io/${c.name}`, 'seccomp.security.alpha.kubernetes.io/pod']) {
      const value = annotations[key];
      if (value === undefined || value === null) continue;
      if (value !== 'unconfined') return;
      return { path: [...pod.metaPath, 'annotations', key], message: `${describeContainer(c)} runs seccomp-unconfined by the annotation ${key}` };
    }
  },
});
