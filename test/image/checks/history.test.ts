import { describe, expect, it } from 'vitest';
import { parseCreatedBy } from '../../../shared/image/checks/history.ts';
import type { LayerSpec } from './build-image.ts';
import { BASE_FILES, goodImage, ofRule, scanSpec } from './support.ts';

const ROOTFS = '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ';

/** An image whose history is the base rootfs plus these steps (each makes a small layer). */
function withSteps(...steps: (string | LayerSpec)[]) {
  return goodImage({ layers: [{ createdBy: ROOTFS, files: BASE_FILES }, ...steps.map((s, i) => (typeof s === 'string' ? { createdBy: s, files: { [`step${i}`]: 'x' } } : s))] });
}

describe('history as instructions', () => {
  it('reads the classic builder, BuildKit and build-arg forms', () => {
    expect(parseCreatedBy('/bin/sh -c #(nop)  ADD file:abc in / ')).toEqual({ instruction: 'ADD', text: 'file:abc in /', buildArgs: [] });
    expect(parseCreatedBy('/bin/sh -c apt-get update')).toEqual({ instruction: 'RUN', text: 'apt-get update', buildArgs: [] });
    expect(parseCreatedBy('|2 TOKEN=abc MODE=fast /bin/sh -c make')).toEqual({ instruction: 'RUN', text: 'make', buildArgs: [['TOKEN', 'abc'], ['MODE', 'fast']] });
    expect(parseCreatedBy('RUN |1 NPM_TOKEN=xyz /bin/sh -c npm ci # buildkit')).toEqual({ instruction: 'RUN', text: 'npm ci', buildArgs: [['NPM_TOKEN', 'xyz']] });
    expect(parseCreatedBy('ADD https://example.com/tool.tgz /opt/ # buildkit')).toEqual({ instruction: 'ADD', text: 'https://example.com/tool.tgz /opt/', buildArgs: [] });
    expect(parseCreatedBy('ENV PATH=/usr/local/bin')).toEqual({ instruction: 'ENV', text: 'PATH=/usr/local/bin', buildArgs: [] });
    expect(parseCreatedBy('')).toEqual({ instruction: '', text: '', buildArgs: [] });
  });
});

describe('B. build hygiene', () => {
  it('a clean history triggers none of IMG-020…032', async () => {
    const result = await scanSpec(withSteps('COPY app /app # buildkit', 'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* # buildkit'));
    expect(result.findings.filter((f) => /^IMG-0[23]\d$/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('IMG-020: ADD other than the base rootfs', async () => {
    const found = ofRule(await scanSpec(withSteps('/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in /app ')), 'IMG-020');
    expect(found).toEqual([expect.objectContaining({ severity: 'low', image: expect.objectContaining({ historyIndex: 1 }) })]);
  });

  it('IMG-021: ADD from a URL is high, medium with --checksum', async () => {
    const plain = ofRule(await scanSpec(withSteps('ADD https://example.com/tool.tgz /opt/ # buildkit')), 'IMG-021');
    expect(plain).toEqual([expect.objectContaining({ severity: 'high' })]);
    const pinned = ofRule(await scanSpec(withSteps('ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/ # buildkit')), 'IMG-021');
    expect(pinned).toEqual([expect.objectContaining({ severity: 'medium' })]);
  });

  it('IMG-022: a download piped into a shell, or handed to one by process substitution', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c curl -fsSL https://get.example.sh | bash # buildkit')), 'IMG-022')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('/bin/sh -c bash <(curl -s https://get.example.sh)')), 'IMG-022')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c curl -fsSLo /tmp/x.sh https://get.example.sh && sha256sum -c sums && sh /tmp/x.sh # buildkit')), 'IMG-022')).toEqual([]);
  });

  it('IMG-023: apt-get update / apk update / yum makecache alone', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt-get update # buildkit')), 'IMG-023')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('/bin/sh -c yum makecache')), 'IMG-023')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apk update && apk add curl # buildkit')), 'IMG-023')).toEqual([]);
  });

  it('IMG-024: apt without removing the lists in the same RUN, or lists left in the final filesystem', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl # buildkit')), 'IMG-024')).toHaveLength(1);
    const squashed = goodImage({ layers: [{ createdBy: '', files: { ...BASE_FILES, 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease': 'x', 'var/lib/apt/lists/lock': '' } }] });
    expect(ofRule(await scanSpec(squashed), 'IMG-024')).toEqual([expect.objectContaining({ location: { file: '/var/lib/apt/lists', line: null } })]);
    const onlyLock = goodImage({ layers: [{ createdBy: ROOTFS, files: { ...BASE_FILES, 'var/lib/apt/lists/lock': '' } }] });
    expect(ofRule(await scanSpec(onlyLock), 'IMG-024')).toEqual([]);
  });

  it('IMG-025: apk add without --no-cache, or cached packages in /var/cache/apk', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apk add curl # buildkit')), 'IMG-025')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apk add --no-cache curl # buildkit')), 'IMG-025')).toEqual([]);
    const cached = withSteps({ createdBy: 'COPY cache /var/cache/apk # buildkit', files: { 'var/cache/apk/APKINDEX.66e5e1ad.tar.gz': 'x' } });
    expect(ofRule(await scanSpec(cached), 'IMG-025')).toHaveLength(1);
  });

  it('IMG-026: dnf/yum/microdnf/zypper without clean, or cache directories with files', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c microdnf install -y shadow-utils # buildkit')), 'IMG-026')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c dnf install -y tar && dnf clean all # buildkit')), 'IMG-026')).toEqual([]);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c zypper install -y curl && zypper clean -a # buildkit')), 'IMG-026')).toEqual([]);
    const cached = withSteps({ createdBy: 'COPY dnf /var/cache/dnf # buildkit', files: { 'var/cache/dnf/packages.db': 'x' } });
    expect(ofRule(await scanSpec(cached), 'IMG-026')).toHaveLength(1);
  });

  it('IMG-027: apt-get install without --no-install-recommends (info)', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* # buildkit')), 'IMG-027')).toEqual([expect.objectContaining({ severity: 'info' })]);
  });

  it('IMG-028: dist-upgrade and full-upgrade', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/* # buildkit')), 'IMG-028')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt full-upgrade -y # buildkit')), 'IMG-028')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c apt-get upgrade -y # buildkit')), 'IMG-028')).toEqual([]);
  });

  it('IMG-029: sudo in a RUN', async () => {
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c sudo chown app /data # buildkit')), 'IMG-029')).toHaveLength(1);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c echo sudo is not used here # buildkit')), 'IMG-029')).toEqual([]);
  });

  it('IMG-030: package and transport verification turned off', async () => {
    const cases = [
      'RUN /bin/sh -c apt-get install -y --allow-unauthenticated foo # buildkit',
      'RUN /bin/sh -c yum install -y --nogpgcheck foo # buildkit',
      "RUN /bin/sh -c echo 'gpgcheck=0' >> /etc/yum.repos.d/x.repo # buildkit",
      'RUN /bin/sh -c apk add --allow-untrusted /tmp/x.apk # buildkit',
      'RUN /bin/sh -c pip install --trusted-host pypi.internal foo # buildkit',
      'RUN /bin/sh -c npm config set strict-ssl false # buildkit',
      'RUN /bin/sh -c curl -kfsSL https://example.com/x -o /x # buildkit',
    ];
    for (const step of cases) expect(ofRule(await scanSpec(withSteps(step)), 'IMG-030'), step).toEqual([expect.objectContaining({ severity: 'high' })]);
    expect(ofRule(await scanSpec(withSteps('RUN /bin/sh -c curl -fsSL -o /x https://example.com/x # buildkit')), 'IMG-030')).toEqual([]);
  });

  it('IMG-031: config.author or MAINTAINER in the history', async () => {
    expect(ofRule(await scanSpec(goodImage({ author: 'Jane <jane@example.com>' })), 'IMG-031')).toHaveLength(1);
    const maintainer = goodImage({ emptyHistory: [{ before: 1, createdBy: '/bin/sh -c #(nop)  MAINTAINER ops@example.com' }] });
    expect(ofRule(await scanSpec(maintainer), 'IMG-031')).toEqual([expect.objectContaining({ severity: 'info', image: expect.objectContaining({ historyIndex: 1 }) })]);
  });

  it('IMG-032: no history, or blank created_by for layers', async () => {
    expect(ofRule(await scanSpec(goodImage({ noHistory: true })), 'IMG-032')).toEqual([expect.objectContaining({ message: expect.stringContaining('no history') })]);
    expect(ofRule(await scanSpec(withSteps('')), 'IMG-032')).toEqual([expect.objectContaining({ message: '1 layer(s) have no created_by in the history (squashed or hand-made)' })]);
  });

  it('keeps fingerprints across rebuilds: a new content hash in ADD file:… does not change identity', async () => {
    const a = ofRule(await scanSpec(withSteps('/bin/sh -c #(nop) ADD file:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa in /app ')), 'IMG-020');
    const b = ofRule(await scanSpec(withSteps('/bin/sh -c #(nop) ADD file:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb in /app ')), 'IMG-020');
    expect(a[0].fingerprint).toBe(b[0].fingerprint);
    expect(a[0].image!.digest).not.toBe(b[0].image!.digest);
  });
});
