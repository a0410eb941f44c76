import { imageCheck } from '../check.ts';
import { configuredUser, finalText, parsePasswd, PASSWD } from '../filesystem.ts';

export default imageCheck({
  id: 'IMG-002',
  severity: 'medium',
  title: 'USER is a name, not a numeric uid',
  description:
    '`config.User` names a user instead of a uid: with `runAsNonRoot: true` the kubelet refuses to start the pod because it cannot verify that a name is not root. Also reported when the name is missing from /etc/passwd. `root` is left to IMG-001.',
  remediation: 'Use the numeric uid (and gid) in USER, e.g. `USER 10001:10001`, for a user that exists in /etc/passwd.',
  compliance: ['CIS-DOCKER 4.1', 'NIST-800-190 4.1.2'],
  wants: (path) => path === PASSWD,
  *check(image) {
    const user = configuredUser(image);
    if (user === '' || /^\d+$/.test(user) || user === 'root') return;
    const passwd = finalText(image, PASSWD);
    const known = passwd !== null && parsePasswd(passwd).some((e) => e.name === user);
    const missing = known ? '' : passwd === null ? ' and the image has no /etc/passwd' : ' and /etc/passwd has no such user';
    yield { message: `USER "${user}" is a name, so the kubelet cannot check runAsNonRoot${missing}`, path: known || passwd === null ? null : PASSWD, field: 'config.User' };
  },
});
