import { imageCheck } from '../check.ts';
import { osPackagesNamed } from '../packages.ts';

const SSH_SERVERS = new Set(['openssh-server', 'dropbear', 'dropbear-bin', 'dropbear-run', 'openssh-server-pam']);

export default imageCheck({
  id: 'IMG-005',
  severity: 'high',
  title: 'SSH exposed or installed',
  description: 'The image exposes port 22/tcp, or installs an SSH server (`openssh-server`, `dropbear`): containers are reached with `kubectl exec`, an SSH daemon is extra attack surface and key material.',
  remediation: 'Remove the SSH server package and the EXPOSE 22; debug with `kubectl exec` or ephemeral debug containers.',
  compliance: ['CIS-DOCKER 4.3', 'NIST-800-190 4.1.2', 'MITRE T1021.004'],
  *check(image) {
    const ports = Object.keys(image.config.config?.ExposedPorts ?? {});
    if (ports.some((p) => /^22(?:\/tcp)?$/i.test(p.trim()))) yield { message: 'the image exposes the SSH port 22/tcp', field: 'port:22' };
    for (const p of osPackagesNamed(image.packages, (name) => SSH_SERVERS.has(name))) {
      yield { message: `SSH server package ${p.name} ${p.version} is installed`, path: p.path, layerDigest: p.layerDigest, field: `package:${p.name}` };
    }
  },
});
