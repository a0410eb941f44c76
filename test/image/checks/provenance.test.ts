import { describe, expect, it } from 'vitest';
import { buildImage, type LayerSpec } from './build-image.ts';
import { BASE_FILES, goodImage, NOW, ofRule, scanSpec } from './support.ts';

const ROOTFS = '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ';
const osRelease = (id: string, version: string, pretty: string) => `PRETTY_NAME="${pretty}"\nID=${id}\nVERSION_ID="${version}"\n`;
const withOs = (text: string | null): LayerSpec[] => {
  const files: Record<string, string> = { ...BASE_FILES };
  if (text === null) delete files['etc/os-release'];
  else files['etc/os-release'] = text;
  return [{ createdBy: ROOTFS, files }];
};

describe('D. provenance, freshness, surface', () => {
  it('IMG-060: latest (or no tag, which means latest) is flagged; versions are not', async () => {
    expect(ofRule(await scanSpec(goodImage(), { layout: { tag: 'latest' } }), 'IMG-060')).toEqual([expect.objectContaining({ severity: 'low' })]);
    expect(ofRule(await scanSpec(goodImage(), { layout: { tag: '2.4.1' } }), 'IMG-060')).toEqual([]);
  });

  it('IMG-061: an end-of-life release is high, a missing os-release is info, a supported release is fine', async () => {
    const buster = ofRule(await scanSpec(goodImage({ layers: withOs(osRelease('debian', '10', 'Debian GNU/Linux 10 (buster)')) })), 'IMG-061');
    expect(buster).toEqual([expect.objectContaining({ severity: 'high', message: 'Debian GNU/Linux 10 (buster) reached end of life on 2024-06-30' })]);
    const alpine = ofRule(await scanSpec(goodImage({ layers: withOs(osRelease('alpine', '3.18.4', 'Alpine Linux v3.18')) })), 'IMG-061');
    expect(alpine[0]?.message).toBe('Alpine Linux v3.18 reached end of life on 2025-05-09');
    const focal = ofRule(await scanSpec(goodImage({ layers: withOs(osRelease('ubuntu', '20.04', 'Ubuntu 20.04.6 LTS')) })), 'IMG-061');
    expect(focal[0]?.message).toBe('Ubuntu 20.04.6 LTS reached end of life on 2025-05-31');
    const scratch = ofRule(await scanSpec(goodImage({ layers: withOs(null) })), 'IMG-061');
    expect(scratch).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('no /etc/os-release') })]);
    expect(ofRule(await scanSpec(goodImage()), 'IMG-061')).toEqual([]);
  });

  it('IMG-061: the clock decides (Amazon Linux 2 is supported until 2026-06-30)', async () => {
    const al2 = goodImage({ layers: withOs(osRelease('amzn', '2', 'Amazon Linux 2')) });
    expect(ofRule(await scanSpec(al2, { now: new Date('2026-06-30T23:00:00Z') }), 'IMG-061')).toEqual([]);
    expect(ofRule(await scanSpec(al2, { now: new Date('2026-07-01T00:00:00Z') }), 'IMG-061')).toHaveLength(1);
  });

  it('IMG-062: older than 90 days, or the configured maxAgeDays', async () => {
    const old = goodImage({ created: '2025-10-01T00:00:00Z' });
    expect(ofRule(await scanSpec(old), 'IMG-062')).toEqual([expect.objectContaining({ severity: 'low', message: expect.stringContaining('151 days ago') })]);
    expect(ofRule(await scanSpec(old, { config: { ruleOptions: { 'IMG-062': { maxAgeDays: 200 } } } }), 'IMG-062')).toEqual([]);
    expect(ofRule(await scanSpec(goodImage({ created: new Date(NOW.getTime() - 10 * 86400_000).toISOString() })), 'IMG-062')).toEqual([]);
    await expect(scanSpec(old, { config: { ruleOptions: { 'IMG-062': { maxAgeDays: -1 } } } })).rejects.toThrow(/ruleOptions\.IMG-062\.maxAgeDays/);
  });

  it('IMG-063 (opt-in): a shell in an image labelled production', async () => {
    const files = { ...BASE_FILES, 'bin/sh': { content: 'ELF', mode: 0o755 }, 'usr/bin/apt-get': { content: 'ELF', mode: 0o755 } };
    const prod = goodImage({ layers: [{ createdBy: ROOTFS, files }], config: { Labels: { environment: 'production', 'org.opencontainers.image.source': 's', 'org.opencontainers.image.revision': 'r' } } });
    expect(ofRule(await scanSpec(prod), 'IMG-063')).toEqual([]);
    const enabled = ofRule(await scanSpec(prod, { config: { enable: ['IMG-063'] } }), 'IMG-063');
    expect(enabled.map((f) => f.location?.file)).toEqual(['/bin/sh', '/usr/bin/apt-get']);
    const staging = goodImage({ layers: [{ createdBy: ROOTFS, files }] });
    expect(ofRule(await scanSpec(staging, { config: { enable: ['IMG-063'] } }), 'IMG-063')).toEqual([]);
  });

  it('IMG-065: no signature next to the image in the layout; a cosign .sig tag counts as one', async () => {
    expect(ofRule(await scanSpec(goodImage()), 'IMG-065')).toEqual([expect.objectContaining({ severity: 'info' })]);
    const { manifestDigest } = await buildImage(goodImage());
    const signature = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
        layers: [],
      }),
    );
    const signed = await scanSpec(goodImage(), { layout: { tag: '1.0.0', extraRoots: [{ tag: `sha256-${manifestDigest.slice(7)}.sig`, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: signature }] } });
    expect(ofRule(signed, 'IMG-065')).toEqual([]);
  });

  it('IMG-066: missing OCI source/revision labels', async () => {
    const [finding] = ofRule(await scanSpec(goodImage({ config: { Labels: { 'org.opencontainers.image.source': 'https://github.com/example/app' } } })), 'IMG-066');
    expect(finding.message).toBe('the image has no org.opencontainers.image.revision label');
    expect(ofRule(await scanSpec(goodImage()), 'IMG-066')).toEqual([]);
  });

  it('IMG-067: an artifact next to the platforms of an index is skipped and recorded, the images still scanned', async () => {
    const sbom = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/spdx+json', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 }, layers: [] }));
    const result = await scanSpec([goodImage({ architecture: 'amd64' }), goodImage({ architecture: 'arm64', variant: 'v8' })], {
      layout: { tag: '1.0.0', extraManifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: sbom, artifactType: 'application/spdx+json' }] },
    });
    expect(result.platforms.map((p) => [p.ref.platform, p.status])).toEqual([
      ['linux/amd64', 'scanned'],
      ['linux/arm64/v8', 'scanned'],
    ]);
    expect(ofRule(result, 'IMG-067')).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('artifact') })]);
    // One finding per platform for the same problem, told apart by the platform.
    expect(ofRule(result, 'IMG-066')).toEqual([]);
    expect(ofRule(result, 'IMG-004')).toEqual([]);
  });
});
