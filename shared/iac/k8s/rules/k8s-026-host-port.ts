import { asArray, asMap } from '../manifest.ts';
import { containerRule, describeContainer } from '../rule.ts';

export default containerRule({
  id: 'K8S-026',
  severity: 'medium',
  title: 'hostPort used',
  description: 'A container port sets a non-zero hostPort, binding the port on the node itself and bypassing Services and network policies.',
  remediation: 'Remove hostPort and expose the container through a Service.',
  compliance: ['CIS-K8S 5.2.13', 'NSA-CISA Network separation and hardening', 'NIST-800-190 4.4.2', 'NIST-800-190 4.3.3', 'PCI-DSS 1.3.1', 'PCI-DSS 2.2.4', 'MITRE T1133', 'MITRE T1021.004'],
  check(c) {
    const bound = asArray(c.container.ports).flatMap((port, index) => {
      const hostPort = asMap(port)?.hostPort;
      return typeof hostPort === 'number' && hostPort !== 0 ? [{ hostPort, index }] : [];
    });
    if (bound.length === 0) return;
    return {
      path: [...c.path, 'ports', bound[0].index, 'hostPort'],
      message: `${describeContainer(c)} binds host port ${bound.map((b) => b.hostPort).join(', ')}`,
    };
  },
});
