import { instructionField, instructionsOf, parsePorts } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

const SSH_PORT = 22;

export default dockerRule({
  id: 'DOCKER-013',
  severity: 'low',
  title: 'SSH port exposed',
  description: 'EXPOSE includes port 22 (any protocol, also inside a range): an SSH server in a container is a remote shell that bypasses the orchestrator.',
  remediation: 'Remove port 22 and the SSH server; use `kubectl exec` / `docker exec` for debugging.',
  compliance: ['NIST-800-190 4.4.2', 'MITRE T1021.004'],
  *check({ dockerfile }) {
    for (const expose of instructionsOf(dockerfile, 'EXPOSE')) {
      const ssh = parsePorts(expose).filter((p) => p.invalid === null && p.from !== null && p.to !== null && p.from <= SSH_PORT && SSH_PORT <= p.to);
      if (ssh.length > 0) yield { line: expose.line, message: `EXPOSE ${ssh.map((p) => p.text).join(' ')} includes the SSH port 22`, field: instructionField(dockerfile, expose) };
    }
  },
});
