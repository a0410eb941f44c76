import { posix } from 'node:path';
import { instructionField, instructionsOf } from '../instructions.ts';
import { dockerRule } from '../rule.ts';

const SYSTEM_DIRECTORIES = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/proc', '/sbin', '/sys', '/usr']);
/** Windows images: `C:\app`, `c:/app`, `\app`. */
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:)?[\\/]/;

export default dockerRule({
  id: 'DOCKER-017',
  severity: 'low',
  title: 'Relative or system WORKDIR',
  description:
    'WORKDIR (after ARG/ENV substitution) is not an absolute path, so it depends on earlier WORKDIRs and the base image, or is a system directory (/, /bin, /boot, /dev, /etc, /lib, /proc, /sbin, /sys, /usr).',
  remediation: 'Use an absolute, application-owned directory such as `WORKDIR /app`.',
  compliance: [],
  *check({ dockerfile }) {
    for (const workdir of instructionsOf(dockerfile, 'WORKDIR')) {
      const parts = workdir.words.map((w) => w.value);
      if (parts.length === 0 || parts.some((p) => p === null)) continue; // not known statically
      const path = parts.join(' ');
      let message: string | null = null;
      if (!path.startsWith('/') && !WINDOWS_ABSOLUTE.test(path)) message = `WORKDIR ${path} is not an absolute path`;
      else if (path.startsWith('/') && SYSTEM_DIRECTORIES.has(posix.normalize(path).replace(/(.)\/$/, '$1'))) message = `WORKDIR ${path} is a system directory`;
      if (message) yield { line: workdir.line, message, field: instructionField(dockerfile, workdir) };
    }
  },
});
