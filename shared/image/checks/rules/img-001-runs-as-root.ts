import { imageCheck } from '../check.ts';

/** `config.User` values that leave the process running as root. */
export function isRootUser(user: string): boolean {
  const trimmed = user.trim();
  if (trimmed === '') return true;
  const name = trimmed.split(':', 1)[0];
  return name === 'root' || name === '0';
}

export default imageCheck({
  id: 'IMG-001',
  severity: 'high',
  title: 'Image runs as root',
  description: 'The image config sets no USER, or sets `root`, `0`, `0:<gid>` or `root:<group>`: the container process runs as root unless the pod overrides it.',
  remediation: 'Add a numeric non-root user to the image (`USER 10001:10001`) and set `runAsNonRoot: true` in the pod security context.',
  compliance: ['CIS-DOCKER 4.1', 'NIST-800-190 4.1.2', 'PCI-DSS 2.2.6', 'MITRE T1611'],
  *check(image) {
    const user = image.config.config?.User ?? '';
    if (!isRootUser(user)) return;
    yield { message: user.trim() === '' ? 'the image sets no USER, so it runs as root' : `the image runs as root (USER ${user.trim()})`, field: 'config.User' };
  },
});
