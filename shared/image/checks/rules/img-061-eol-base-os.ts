import { imageCheck } from '../check.ts';
import { endOfLife, isPastEndOfLife } from '../eol.ts';

export default imageCheck({
  id: 'IMG-061',
  severity: 'high',
  title: 'End-of-life or unknown base OS',
  description:
    'The base OS release from /etc/os-release is past its end of life (a static table of Debian, Ubuntu, Alpine, Amazon Linux, CentOS, RHEL, Rocky and AlmaLinux releases): it gets no security fixes. Info when the image has no os-release (scratch or unknown), so OS vulnerabilities cannot be assessed.',
  remediation: 'Rebuild on a supported release of the base image (or a distroless/minimal image that is maintained).',
  compliance: ['CIS-DOCKER 4.2', 'CIS-DOCKER 4.4', 'NIST-800-190 4.1.1', 'PCI-DSS 6.3.3'],
  *check(image) {
    const os = image.os;
    if (!os) {
      yield { message: 'no /etc/os-release: the base OS is unknown (scratch or custom), so OS package vulnerabilities cannot be assessed', severity: 'info', field: 'os:unknown' };
      return;
    }
    const eol = endOfLife(os);
    if (eol && isPastEndOfLife(eol, image.now)) {
      yield { message: `${os.prettyName ?? `${os.id} ${os.versionId}`} reached end of life on ${eol.date}`, path: 'etc/os-release', field: `os:${os.id}:${eol.release}` };
    }
  },
});
