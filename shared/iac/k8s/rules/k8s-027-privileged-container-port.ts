import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-027',
  severity: 'low',
  title: 'Privileged container port',
  description: 'A container declares a containerPort between 1 and 1023, which it can only bind as root or with NET_BIND_SERVICE.',
  remediation: 'Listen on a port above 1023 and map the well-known port in the Service (port: 80, targetPort: 8080).',
  compliance: ['NSA-CISA Pod security: non-root containers', 'NIST-800-190 4.4.2', 'NIST-800-190 4.3.3', 'PCI-DSS 1.3.1', 'PCI-DSS 2.2.4', 'MITRE T1133', 'MITRE T1021.004'],
  check(c) {
    const privileged = asArray(c.container.ports).flatMap((port, index) => {
      const containerPort = asMap(port)?.containerPort;
      return typeof containerPort === 'number' && containerPort >= 1 && containerPort <= 1023 ? [{ containerPort, index }] : [];
    });
    if (privileged.length === 0) return;
    return {
      path: [...c.path, 'ports', privileged[0].index, 'containerPort'],
      message: `${describeContainer(c)} declares the privileged port${privileged.length > 1 ? 's' : ''} ${privileged.map((p) => p.containerPort).join(', ')}`,
    };
  },
});
