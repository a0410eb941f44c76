import { imageCheck } from '../check.ts';

const SENSITIVE = ['/sys', '/dev', '/proc', '/var/run/docker.sock', '/run/containerd'];

function sensitive(volume: string): string | undefined {
  const path = '/' + volume.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return SENSITIVE.find((s) => path === s || path.startsWith(`${s}/`));
}

export default imageCheck({
  id: 'IMG-007',
  severity: 'high',
  title: 'Sensitive VOLUME',
  description: '`config.Volumes` declares a host-sensitive path (`/sys`, `/dev`, `/proc`, `/var/run/docker.sock`, `/run/containerd`): a runtime that binds it gives the container the host\'s devices, kernel interfaces or container runtime.',
  remediation: 'Remove the VOLUME; if the workload really needs host access, declare it explicitly (and reviewed) in the pod spec.',
  compliance: ['NIST-800-190 4.1.2', 'MITRE T1611'],
  *check(image) {
    for (const volume of Object.keys(image.config.config?.Volumes ?? {})) {
      const match = sensitive(volume);
      if (match) yield { message: `the image declares VOLUME ${volume} (${match})`, field: `volume:${volume}` };
    }
  },
});
