import { imageCheck, type ImageHit } from '../check.ts';
import { finalText, GROUP, parseGroup, parsePasswd, PASSWD } from '../filesystem.ts';

function* duplicates(entries: { name: string; id: string; line: number }[], path: string, what: 'uid' | 'gid'): Iterable<ImageHit> {
  const byId = new Map<string, typeof entries>();
  for (const e of entries) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  for (const [id, sharing] of byId) {
    if (sharing.length < 2) continue;
    yield { message: `${what} ${id} is shared by ${sharing.map((e) => e.name).join(', ')} in /${path}`, path, line: sharing[1].line, field: `${what}:${id}` };
  }
}

export default imageCheck({
  id: 'IMG-008',
  severity: 'medium',
  title: 'Duplicate UID or GID',
  description: 'Two accounts in /etc/passwd share a uid, or two groups in /etc/group share a gid: file ownership and audit trails cannot tell them apart.',
  remediation: 'Give every user and group its own id.',
  compliance: ['NIST-800-190 4.1.2'],
  wants: (path) => path === PASSWD || path === GROUP,
  *check(image) {
    const passwd = finalText(image, PASSWD);
    if (passwd !== null) yield* duplicates(parsePasswd(passwd).map((e) => ({ name: e.name, id: e.uid, line: e.line })), PASSWD, 'uid');
    const group = finalText(image, GROUP);
    if (group !== null) yield* duplicates(parseGroup(group).map((e) => ({ name: e.name, id: e.gid, line: e.line })), GROUP, 'gid');
  },
});
