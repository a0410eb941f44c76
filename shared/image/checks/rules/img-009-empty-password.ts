import { imageCheck } from '../check.ts';
import { finalText, parseShadow, SHADOW } from '../filesystem.ts';

export default imageCheck({
  id: 'IMG-009',
  severity: 'critical',
  title: 'Account with an empty password',
  description: 'An /etc/shadow entry has an empty password field: anyone can log in as that account without a password (`!`, `*` and `!!` are locked and fine).',
  remediation: 'Lock the account (`passwd -l <user>` or `usermod -p \'!\' <user>`) or remove it.',
  compliance: ['CIS-DOCKER 4.10', 'NIST-800-190 4.1.2', 'PCI-DSS 8.3.1', 'MITRE T1078.003'],
  wants: (path) => path === SHADOW,
  *check(image) {
    const shadow = finalText(image, SHADOW);
    if (shadow === null) return;
    for (const entry of parseShadow(shadow)) {
      if (entry.password === '') yield { message: `account "${entry.name}" has an empty password in /etc/shadow`, path: SHADOW, line: entry.line, field: `account:${entry.name}` };
    }
  },
});
