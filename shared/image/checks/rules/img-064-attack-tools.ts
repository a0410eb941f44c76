import { imageCheck } from '../check.ts';
import { osPackagesNamed } from '../packages.ts';

/** Network tools and compilers an intruder would otherwise have to bring along. */
const ATTACK_TOOL = /^(?:netcat(?:-.+)?|nmap|tcpdump|socat|gcc(?:-\d+(?:\.\d+)*)?|g\+\+(?:-\d+)?|make)$/;

export default imageCheck({
  id: 'IMG-064',
  severity: 'low',
  title: 'Attack-tool packages installed',
  description: 'The package inventory has `netcat*`, `nmap`, `tcpdump`, `socat`, or compilers (`gcc`, `g++`, `make`): ready-made tools for reconnaissance, tunnelling or building exploits inside the container.',
  remediation: 'Remove them from the runtime image; build in a separate stage and copy only the artifacts.',
  compliance: ['CIS-DOCKER 4.3', 'NIST-800-190 4.1.2'],
  *check(image) {
    for (const p of osPackagesNamed(image.packages, (name) => ATTACK_TOOL.test(name))) {
      yield { message: `package ${p.name} ${p.version} is installed`, path: p.path, layerDigest: p.layerDigest, field: `package:${p.name}` };
    }
  },
});
