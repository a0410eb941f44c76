import { asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-017',
  severity: 'medium',
  title: 'AppArmor explicitly unconfined',
  description:
    "A container's effective appArmorProfile.type is Unconfined or, when no appArmorProfile applies, its AppArmor annotation on the pod is unconfined.",
  remediation: 'Set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost) and remove the unconfined AppArmor annotation.',
  compliance: ['CIS-K8S 5.7.3', 'NSA-CISA Pod security: hardening container environments', 'NIST-800-190 4.4.3', 'NIST-800-190 4.5.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  linuxOnly: true,
  check(c, pod) {
    const profile = c.effective('appArmorProfile');
    // The field wins over the legacy annotation.
    if (profile) {
      if (asMap(profile.value)?.type !== 'Unconfined') return;
      return { path: [...profile.path, 'type'], message: `${describeContainer(c)} runs with appArmorProfile type Unconfined` };
    }
    const key = `container.apparmor.security.beta.kubernetes.io/${c.name}`;
    if (asMap(pod.meta.annotations)?.[key] !== 'unconfined') return;
    return { path: [...pod.metaPath, 'annotations', key], message: `${describeContainer(c)} runs AppArmor-unconfined by the annotation ${key}` };
  },
});
