import { describe, expect, it } from 'vitest';
import type { FileSpec, LayerSpec } from './build-image.ts';
import { BASE_FILES, goodImage, ofRule, scanSpec } from './support.ts';

const base = (files: Record<string, FileSpec> = {}): LayerSpec => ({ createdBy: '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ', files: { ...BASE_FILES, ...files } });

describe('A. identity and runtime', () => {
  it('a well-behaved image triggers none of IMG-001…011', async () => {
    const result = await scanSpec(goodImage());
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => /^IMG-0(0\d|1[01])$/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('IMG-001: no USER, root, 0 and 0:<gid> run as root; a numeric non-root user does not', async () => {
    for (const User of ['', 'root', '0', '0:0', 'root:wheel']) {
      const [finding] = ofRule(await scanSpec(goodImage({ config: { User } })), 'IMG-001');
      expect(finding, `User "${User}"`).toMatchObject({ severity: 'high', source: 'image', location: null });
    }
    expect(ofRule(await scanSpec(goodImage({ config: { User: '10001' } })), 'IMG-001')).toEqual([]);
  });

  it('IMG-002: a user name is reported, and so is a name missing from /etc/passwd; uids are fine', async () => {
    const named = ofRule(await scanSpec(goodImage({ config: { User: 'app' } })), 'IMG-002');
    expect(named).toEqual([expect.objectContaining({ severity: 'medium', message: expect.stringContaining('"app" is a name') })]);
    expect(named[0].message).not.toContain('no such user');
    const missing = ofRule(await scanSpec(goodImage({ config: { User: 'ghost' } })), 'IMG-002');
    expect(missing[0].message).toContain('/etc/passwd has no such user');
    expect(ofRule(await scanSpec(goodImage({ config: { User: '10001:10001' } })), 'IMG-002')).toEqual([]);
  });

  it('IMG-003: a user name aliased to uid 0 in /etc/passwd', async () => {
    const layers = [base({ 'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/home/toor:/bin/sh\n' })];
    const [finding] = ofRule(await scanSpec(goodImage({ config: { User: 'toor' }, layers })), 'IMG-003');
    expect(finding).toMatchObject({ severity: 'high', location: { file: '/etc/passwd', line: 2 } });
    expect(ofRule(await scanSpec(goodImage({ config: { User: 'app' } })), 'IMG-003')).toEqual([]);
  });

  it('IMG-004: no HEALTHCHECK, or NONE, is info', async () => {
    const none = ofRule(await scanSpec(goodImage({ config: { Healthcheck: { Test: ['NONE'] } } })), 'IMG-004');
    expect(none).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('disables') })]);
    const spec = goodImage();
    delete spec.config!.Healthcheck;
    expect(ofRule(await scanSpec(spec), 'IMG-004')).toHaveLength(1);
  });

  it('IMG-005: port 22/tcp exposed', async () => {
    expect(ofRule(await scanSpec(goodImage({ config: { ExposedPorts: { '22/tcp': {} } } })), 'IMG-005')).toEqual([expect.objectContaining({ severity: 'high' })]);
    expect(ofRule(await scanSpec(goodImage({ config: { ExposedPorts: { '8080/tcp': {}, '2222/tcp': {} } } })), 'IMG-005')).toEqual([]);
  });

  it('IMG-006: ports outside 0-65535 or not numbers', async () => {
    const result = await scanSpec(goodImage({ config: { ExposedPorts: { '70000/tcp': {}, 'http/tcp': {}, '8080/tcp': {}, '53/udp': {} } } }));
    expect(ofRule(result, 'IMG-006').map((f) => f.message).sort()).toEqual(['exposed port "70000/tcp" is not a valid port number (0-65535)', 'exposed port "http/tcp" is not a valid port number (0-65535)']);
  });

  it('IMG-007: sensitive volumes, not ordinary data volumes', async () => {
    const result = await scanSpec(goodImage({ config: { Volumes: { '/var/run/docker.sock': {}, '/proc/sys': {}, '/data': {} } } }));
    expect(ofRule(result, 'IMG-007').map((f) => f.message).sort()).toEqual(['the image declares VOLUME /proc/sys (/proc)', 'the image declares VOLUME /var/run/docker.sock (/var/run/docker.sock)']);
  });

  it('IMG-008: duplicate uid in /etc/passwd and duplicate gid in /etc/group', async () => {
    const layers = [base({ 'etc/passwd': 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nweb:x:1000:1001::/web:/bin/sh\n', 'etc/group': 'root:x:0:\napp:x:1000:\nweb:x:1000:\n' })];
    const found = ofRule(await scanSpec(goodImage({ layers })), 'IMG-008');
    expect(found.map((f) => [f.message, f.location])).toEqual([
      ['gid 1000 is shared by app, web in /etc/group', { file: '/etc/group', line: 3 }],
      ['uid 1000 is shared by app, web in /etc/passwd', { file: '/etc/passwd', line: 3 }],
    ]);
  });

  it('IMG-009: an empty shadow password is critical; locked accounts are fine', async () => {
    const layers = [base({ 'etc/shadow': 'root:*:19000::::::\napp:!:19000::::::\nlegacy:!!:19000::::::\nguest::19000::::::\n' })];
    const [finding] = ofRule(await scanSpec(goodImage({ layers })), 'IMG-009');
    expect(finding).toMatchObject({ severity: 'critical', message: 'account "guest" has an empty password in /etc/shadow', location: { file: '/etc/shadow', line: 4 } });
    expect(ofRule(await scanSpec(goodImage()), 'IMG-009')).toEqual([]);
  });

  it('IMG-010: setuid/setgid outside the baseline is medium, baseline programs are info, removed ones are not reported', async () => {
    const layers = [
      base({
        'usr/bin/passwd': { content: 'ELF', mode: 0o4755 },
        'usr/local/bin/helper': { content: 'ELF', mode: 0o4755 },
        'opt/tool': { content: 'ELF', mode: 0o2755 },
        'opt/gone': { content: 'ELF', mode: 0o4755 },
      }),
      { createdBy: 'RUN /bin/sh -c rm /opt/gone # buildkit', delete: ['opt/gone'] },
    ];
    const found = ofRule(await scanSpec(goodImage({ layers })), 'IMG-010');
    expect(found.map((f) => [f.location?.file, f.severity])).toEqual([
      ['/opt/tool', 'medium'],
      ['/usr/bin/passwd', 'info'],
      ['/usr/local/bin/helper', 'medium'],
    ]);
    expect(found[0].image).toMatchObject({ layerDigest: expect.stringMatching(/^sha256:/), historyIndex: 0 });
  });

  it('IMG-011: world-writable files and non-sticky directories outside /tmp; a world-writable directory stands for its content', async () => {
    const layers = [
      base({
        tmp: { type: 'directory', mode: 0o1777 },
        'tmp/scratch': { content: 'x', mode: 0o666 },
        'app/config.yaml': { content: 'a: 1', mode: 0o666 },
        'shared': { type: 'directory', mode: 0o777 },
        'shared/file': { content: 'x', mode: 0o666 },
        'sticky': { type: 'directory', mode: 0o1777 },
      }),
    ];
    const found = ofRule(await scanSpec(goodImage({ layers })), 'IMG-011');
    expect(found.map((f) => f.location?.file)).toEqual(['/app/config.yaml', '/shared']);
  });
});
