import type { ComplianceFramework } from '../framework.ts';

/** NSA/CISA Kubernetes Hardening Guidance: the sections our rules cite, by section name. Titles are paraphrased. */
export const nsaCisa: ComplianceFramework = {
  id: 'nsa-cisa',
  name: 'NSA/CISA Kubernetes Hardening Guidance',
  version: 'v1.2',
  refPrefix: 'NSA-CISA ',
  controls: [
    { id: 'Pod security: non-root containers', title: 'Run containers as users other than root', automation: 'automated' },
    { id: 'Pod security: immutable container file systems', title: 'Keep container file systems read-only', automation: 'automated' },
    { id: 'Building secure container images', title: 'Run images from trusted sources, pinned and kept current', automation: 'partial' },
    { id: 'Pod security enforcement', title: 'Enforce pod security rules at admission', automation: 'partial' },
    { id: 'Pod security: protecting Pod service account tokens', title: 'Mount service account tokens only into pods that need them', automation: 'automated' },
    { id: 'Pod security: hardening container environments', title: 'Confine containers with capabilities, seccomp, AppArmor and SELinux', automation: 'partial' },
    {
      id: 'Network separation and hardening',
      title: 'Limit how workloads and the cluster are exposed on the network',
      // The catalog cites the section by its short name for the host-network rule.
      aliases: ['Network separation'],
      automation: 'partial',
    },
    { id: 'Network separation: namespaces', title: 'Separate workloads and teams with namespaces', automation: 'partial' },
    { id: 'Network separation: network policies', title: 'Restrict pod traffic with network policies', automation: 'partial' },
    { id: 'Network separation: resource policies', title: 'Bound CPU and memory use with requests and limits', automation: 'automated' },
    { id: 'Network separation: encryption', title: 'Encrypt traffic in transit', automation: 'partial' },
    { id: 'Network separation: secrets', title: 'Keep sensitive data in Secrets, out of manifests and environment variables', automation: 'partial' },
    { id: 'Protecting sensitive cloud infrastructure', title: 'Keep workloads away from cloud control-plane access', automation: 'partial' },
    { id: 'Authentication and authorization', title: 'Grant least privilege through RBAC and avoid shared identities', automation: 'partial' },
    { id: 'Upgrading and application security practices', title: 'Keep Kubernetes and the APIs in use current', automation: 'partial' },
  ],
};
