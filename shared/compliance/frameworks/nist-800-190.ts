import type { ComplianceFramework } from '../framework.ts';

/** NIST SP 800-190 Application Container Security Guide: the countermeasure sections of chapter 4 our rules cite. Titles are paraphrased. */
export const nistSp800190: ComplianceFramework = {
  id: 'nist-800-190',
  name: 'NIST SP 800-190 Application Container Security Guide',
  version: '2017',
  refPrefix: 'NIST-800-190 ',
  controls: [
    { id: '4.1.1', title: 'Image vulnerabilities: find and fix known vulnerabilities in images', automation: 'partial' },
    { id: '4.1.2', title: 'Image configuration defects: build images to hardened configuration', automation: 'partial' },
    { id: '4.1.3', title: 'Embedded malware: keep unverified code out of images', automation: 'partial' },
    { id: '4.1.4', title: 'Embedded clear-text secrets: keep secrets out of images and manifests', automation: 'automated' },
    { id: '4.1.5', title: 'Use of untrusted images: run only images from trusted, pinned sources', automation: 'partial' },
    { id: '4.2.1', title: 'Insecure connections to registries: verify and encrypt registry traffic', automation: 'partial' },
    { id: '4.2.2', title: 'Stale images in registries: make sure the intended, current image runs', automation: 'partial' },
    { id: '4.2.3', title: 'Registry authentication and authorization: restrict who can read and write images', automation: 'partial' },
    { id: '4.3.1', title: 'Unbounded administrative access: give orchestrator users least privilege', automation: 'partial' },
    { id: '4.3.2', title: 'Unauthorized access: protect orchestrator accounts and credentials', automation: 'partial' },
    { id: '4.3.3', title: 'Poorly separated inter-container traffic: segment container networks', automation: 'partial' },
    { id: '4.3.4', title: 'Mixing of workload sensitivity levels: keep workloads of different sensitivity apart', automation: 'partial' },
    { id: '4.4.1', title: 'Vulnerabilities within the runtime software: keep orchestrator and runtime current', automation: 'partial' },
    { id: '4.4.2', title: 'Unbounded network access from containers: restrict container network exposure', automation: 'partial' },
    { id: '4.4.3', title: 'Insecure container runtime configurations: run containers with hardened settings', automation: 'automated' },
    { id: '4.5.2', title: 'Shared kernel: limit what containers can do to the host kernel', automation: 'partial' },
    { id: '4.5.4', title: 'Improper user access rights: run with the least user privileges', automation: 'partial' },
    { id: '4.5.5', title: 'Host OS file system tampering: keep containers off the host file system', automation: 'partial' },
  ],
};
