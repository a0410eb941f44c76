import { imageCheck } from '../check.ts';
import { configuredUser, finalText, parsePasswd, PASSWD } from '../filesystem.ts';

export default imageCheck({
  id: 'IMG-003',
  severity: 'high',
  title: 'USER is uid 0 under another name',
  description: '/etc/passwd maps the configured USER (a name other than root) to uid 0, so the image runs as root while looking unprivileged.',
  remediation: 'Give the user its own non-zero uid in /etc/passwd (e.g. `useradd --uid 10001 app`) and reference it numerically in USER.',
  compliance: ['CIS-DOCKER 4.1', 'NIST-800-190 4.1.2', 'MITRE T1078.003'],
  wants: (path) => path === PASSWD,
  *check(image) {
    const user = configuredUser(image);
    if (user === '' || user === 'root' || /^\d+$/.test(user)) return;
    const passwd = finalText(image, PASSWD);
    if (passwd === null) return;
    const entry = parsePasswd(passwd).find((e) => e.name === user);
    if (entry && Number(entry.uid) === 0 && entry.uid.trim() !== '') {
      yield { message: `USER "${user}" has uid 0 in /etc/passwd: the image runs as root`, path: PASSWD, line: entry.line, field: `user:${user}` };
    }
  },
});
