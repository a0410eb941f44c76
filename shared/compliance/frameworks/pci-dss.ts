import type { ComplianceFramework } from '../framework.ts';

/**
 * PCI DSS: the requirements our rules cite. Most are organisational; manifests and Dockerfiles only
 * evidence the technical part, hence "partial". Titles are paraphrased.
 */
export const pciDss: ComplianceFramework = {
  id: 'pci-dss',
  name: 'PCI DSS',
  version: 'v4.0',
  refPrefix: 'PCI-DSS ',
  controls: [
    { id: '1.3.1', title: 'Allow only necessary inbound traffic into the cardholder data environment', automation: 'partial' },
    { id: '1.3.2', title: 'Allow only necessary outbound traffic from the cardholder data environment', automation: 'partial' },
    { id: '1.4.1', title: 'Control traffic between trusted and untrusted networks', automation: 'partial' },
    { id: '2.2.1', title: 'Keep configuration standards for all system components', automation: 'partial' },
    { id: '2.2.2', title: 'Manage vendor default accounts', automation: 'partial' },
    { id: '2.2.3', title: 'Separate primary functions that need different security levels', automation: 'partial' },
    { id: '2.2.4', title: 'Enable only the services, protocols and functions that are needed', automation: 'partial' },
    { id: '2.2.6', title: 'Configure system security parameters to prevent misuse', automation: 'partial' },
    { id: '3.5.1', title: 'Make stored account data unreadable', automation: 'partial' },
    { id: '3.6.1', title: 'Protect cryptographic keys from disclosure and misuse', automation: 'partial' },
    { id: '4.2.1', title: 'Protect data sent over open networks with strong cryptography', automation: 'partial' },
    { id: '6.3.1', title: 'Identify and manage security vulnerabilities', automation: 'partial' },
    { id: '6.3.2', title: 'Keep an inventory of custom and third-party software components', automation: 'partial' },
    { id: '6.3.3', title: 'Protect components from known vulnerabilities by patching', automation: 'partial' },
    { id: '7.2.1', title: 'Define an access control model', automation: 'partial' },
    { id: '7.2.2', title: 'Grant access by job function with least privilege', automation: 'partial' },
    { id: '7.2.5', title: 'Give system and application accounts only the privileges they need', automation: 'partial' },
    { id: '8.6.2', title: 'Keep passwords of system and application accounts out of code and configuration', automation: 'automated' },
    { id: '8.6.3', title: 'Protect passwords of system and application accounts against misuse', automation: 'partial' },
    { id: '10.2.1', title: 'Enable audit logs on all system components', automation: 'partial' },
    { id: '12.3.4', title: 'Review that hardware and software technologies are still supported', automation: 'partial' },
  ],
};
