import { imageCheck } from '../check.ts';

/** `8080`, `8080/tcp`, `53/udp`, `9000/sctp`: a port number in range and a known protocol. */
function validPort(spec: string): boolean {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(spec.trim());
  return m !== null && Number(m[1]) <= 65535;
}

export default imageCheck({
  id: 'IMG-006',
  severity: 'low',
  title: 'Exposed port outside 0-65535',
  description: 'An `ExposedPorts` key is not a port number between 0 and 65535 (with an optional /tcp, /udp or /sctp).',
  remediation: 'Fix the EXPOSE instruction to a valid port number.',
  compliance: [],
  *check(image) {
    for (const port of Object.keys(image.config.config?.ExposedPorts ?? {})) {
      if (!validPort(port)) yield { message: `exposed port "${port}" is not a valid port number (0-65535)`, field: `port:${port}` };
    }
  },
});
