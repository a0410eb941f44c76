import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LayerCache } from '../../shared/image/layers/cache.ts';
import { layerPath } from '../../shared/image/layers/walk.ts';
import { readImage, type FailedImage, type ReadImageResult, type ScannedImage } from '../../shared/image/read.ts';
import { BlobSet, compress, dockerSave, sha256, tarOf, zstdFrame, zstdRleBlock, type Descriptor, type Entry } from './read-fixtures.ts';

const scanned = (r: ReadImageResult<unknown>): ScannedImage<unknown> => {
  if (r.status !== 'scanned') throw new Error(`expected a scanned image, got ${r.status}: ${(r as FailedImage).error ?? ''}`);
  return r;
};
const failed = (r: ReadImageResult<unknown>): FailedImage => {
  if (r.status !== 'failed') throw new Error(`expected a failed image, got ${r.status}`);
  return r;
};
const tmp = () => mkdtempSync(join(tmpdir(), 'shipwatch-read-test-'));
const noCache = { layerCache: null } as const;

async function layout(layers: Parameters<BlobSet['image']>[0], options: Parameters<BlobSet['image']>[1] = {}) {
  const set = new BlobSet();
  const image = await set.image(layers, options);
  return { set, image, dir: set.writeLayout([{ ...image.manifest, annotations: { 'org.opencontainers.image.ref.name': '1.0' } }]) };
}

describe('tar paths', () => {
  it.each([
    ['etc/passwd', 'etc/passwd'],
    ['./etc/passwd', 'etc/passwd'],
    ['usr/bin/', 'usr/bin'],
    ['a//b/./c', 'a/b/c'],
    ['a/../b', 'b'],
    ['./', ''],
    ['../etc/passwd', null],
    ['a/../../etc/passwd', null],
    ['/etc/passwd', null],
  ])('%s -> %s', (name, path) => expect(layerPath(name)).toBe(path));
});

describe('OCI image layouts', () => {
  it('reads config, layers with their history, entries and the final filesystem', async () => {
    const { dir, image } = await layout(
      [
        { entries: [{ path: 'etc', type: 'directory' }, { path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.2\n' }, { path: 'usr/bin/tool', content: 'v1', mode: 0o4755 }], createdBy: 'ADD rootfs.tar /' },
        { entries: [{ path: 'usr/bin/tool', content: 'v2', mode: 0o755 }, { path: 'usr/bin/alias', type: 'symlink', target: 'tool' }], createdBy: 'RUN update' },
      ],
      { config: { User: '1000', Env: ['PATH=/usr/bin'] } },
    );
    const [result] = await readImage(dir, { ...noCache, extraWants: (p) => p.startsWith('usr/bin/') });
    const image0 = scanned(result);
    expect(image0.ref).toMatchObject({ registry: 'local', tag: '1.0', digest: image.manifest.digest, platform: 'linux/amd64' });
    expect(image0.config.config).toEqual({ User: '1000', Env: ['PATH=/usr/bin'] });
    expect(image0.layers.map((l) => [l.digest, l.historyIndex])).toEqual([
      [image.layers[0].digest, 0],
      [image.layers[1].digest, 1],
    ]);
    expect(image0.entries.map((e) => [e.layerIndex, e.path, e.type, e.mode.toString(8), e.deleted, e.removal?.by ?? null])).toEqual([
      [0, 'etc', 'directory', '755', false, null],
      [0, 'etc/os-release', 'file', '644', false, null],
      [0, 'usr/bin/tool', 'file', '4755', true, 'replaced'],
      [1, 'usr/bin/tool', 'file', '755', false, null],
      [1, 'usr/bin/alias', 'symlink', '777', false, null],
    ]);
    expect(image0.entries.find((e) => e.path === 'usr/bin/alias')!.linkname).toBe('tool');
    expect(image0.files.get('usr/bin/tool')!.content.toString()).toBe('v2');
    expect(image0.allVersions.filter((f) => f.path === 'usr/bin/tool').map((f) => [f.content.toString(), f.layerIndex, f.deleted])).toEqual([
      ['v1', 0, true],
      ['v2', 1, false],
    ]);
    expect(image0.analysis.os).toEqual({ id: 'alpine', versionId: '3.20.2', prettyName: null });
    expect(image0.warnings).toEqual([]);
  });

  it('honours whiteouts and opaque directories for the final filesystem, and keeps the deleted versions', async () => {
    const { dir } = await layout([
      {
        entries: [
          { path: 'app/.env', content: 'TOKEN=abc' },
          { path: 'app/keep.txt', content: 'keep' },
          { path: 'cache/a', content: 'a' },
          { path: 'cache/sub/b', content: 'b' },
          { path: 'gone/x', content: 'x' },
          { path: 'gone/y/z', content: 'z' },
        ],
      },
      { entries: [{ path: 'app/.wh..env' }, { path: 'cache/.wh..wh..opq' }, { path: 'cache/new', content: 'new' }, { path: '.wh.gone' }] },
      { entries: [{ path: 'gone/x', content: 'recreated' }] },
    ]);
    const image = scanned((await readImage(dir, { ...noCache, extraWants: () => true }))[0]);
    const state = (path: string) => image.entries.filter((e) => e.path === path).map((e) => (e.deleted ? `${e.removal!.by}@${e.removal!.layerIndex}` : 'present'));
    expect(state('app/.env')).toEqual(['whiteout@1']);
    expect(state('app/keep.txt')).toEqual(['present']);
    expect(state('cache/a')).toEqual(['opaque-directory@1']);
    expect(state('cache/sub/b')).toEqual(['opaque-directory@1']);
    expect(state('cache/new')).toEqual(['present']);
    expect(state('gone/y/z')).toEqual(['whiteout@1']);
    expect(state('gone/x')).toEqual(['whiteout@1', 'present']);
    // Whiteout markers are not entries of the filesystem.
    expect(image.entries.some((e) => e.path.includes('.wh.'))).toBe(false);
    expect([...image.files.keys()].sort()).toEqual(['app/keep.txt', 'cache/new', 'gone/x']);
    expect(image.files.get('gone/x')!.content.toString()).toBe('recreated');
    const deletedSecret = image.allVersions.find((f) => f.path === 'app/.env')!;
    expect(deletedSecret).toMatchObject({ deleted: true, layerIndex: 0, removal: { by: 'whiteout', layerIndex: 1 } });
    expect(deletedSecret.content.toString()).toBe('TOKEN=abc');
  });

  it('hides what a later layer replaced with a non-directory', async () => {
    const { dir } = await layout([{ entries: [{ path: 'lib/x.so', content: 'x' }] }, { entries: [{ path: 'lib', type: 'symlink', target: 'usr/lib' }] }]);
    const image = scanned((await readImage(dir, noCache))[0]);
    expect(image.entries.map((e) => [e.path, e.removal ?? null])).toEqual([
      ['lib/x.so', { by: 'replaced', layerIndex: 1 }],
      ['lib', null],
    ]);
  });

  it('ignores tar entries whose path is absolute or climbs out of the root, and says so', async () => {
    const { dir } = await layout([{ entries: [{ path: '../../etc/cron.d/evil', content: 'x' }, { path: '/etc/passwd', content: 'root::0:0' }, { path: 'etc/passwd', content: 'root:x:0:0' }] }]);
    const image = scanned((await readImage(dir, { ...noCache, extraWants: (p) => p.endsWith('passwd') || p.includes('evil') }))[0]);
    expect(image.entries.map((e) => e.path)).toEqual(['etc/passwd']);
    expect(image.files.get('etc/passwd')!.content.toString()).toBe('root:x:0:0');
    expect(image.warnings).toEqual([expect.stringMatching(/ignored 2 entries whose path is absolute or escapes the root/)]);
  });

  it('gives a hard link the content of its target', async () => {
    const { dir } = await layout([{ entries: [{ path: 'usr/bin/python3.12', content: 'interpreter' }, { path: 'usr/bin/python3', type: 'link', target: 'usr/bin/python3.12' }] }]);
    const image = scanned((await readImage(dir, { ...noCache, extraWants: (p) => p.startsWith('usr/bin/') }))[0]);
    expect(image.entries.find((e) => e.path === 'usr/bin/python3')).toMatchObject({ type: 'hardlink', linkname: 'usr/bin/python3.12' });
    expect(image.files.get('usr/bin/python3')!.content.toString()).toBe('interpreter');
  });

  it('reads uncompressed and zstd layers as well as gzip', async () => {
    const { dir } = await layout([
      { entries: [{ path: 'a', content: 'gzip layer' }], compression: 'gzip' },
      { entries: [{ path: 'b', content: 'x'.repeat(300_000) }], compression: 'zstd' },
      { entries: [{ path: 'c', content: 'plain layer' }], compression: 'none' },
    ]);
    const image = scanned((await readImage(dir, { ...noCache, extraWants: () => true }))[0]);
    expect(image.layers.map((l) => l.mediaType.split('.').pop())).toEqual(['tar+gzip', 'tar+zstd', 'tar']);
    expect(image.files.get('a')!.content.toString()).toBe('gzip layer');
    expect(image.files.get('b')!.content.length).toBe(300_000);
    expect(image.files.get('c')!.content.toString()).toBe('plain layer');
  });

  it('reads every image an index.json lists, skipping artifacts and unknown manifests (IMG-067)', async () => {
    const set = new BlobSet();
    const image = await set.image([{ entries: [{ path: 'etc/hostname', content: 'x' }] }]);
    const signature = await set.image([], { mutate: (m) => Object.assign(m, { subject: image.manifest }) });
    const helm = set.json(
      { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: set.json({}, 'application/vnd.cncf.helm.config.v1+json'), layers: [] },
      'application/vnd.oci.image.manifest.v1+json',
    );
    const schema1 = set.json({ schemaVersion: 1, name: 'old' }, 'application/vnd.docker.distribution.manifest.v1+prettyjws');
    const dir = set.writeLayout([image.manifest, signature.manifest, helm, { ...set.json({ x: 1 }, 'application/vnd.example.thing'), mediaType: 'application/vnd.example.thing' }, schema1]);
    const results = await readImage(dir, noCache);
    expect(results[0].status).toBe('scanned');
    // Entries whose media type already says they are no image are skipped without being fetched.
    expect(results[0].skipped.map((s) => [s.reason, s.detail])).toEqual([
      ['unknown-media-type', 'manifest media type "application/vnd.example.thing"'],
      ['unknown-media-type', 'manifest media type "application/vnd.docker.distribution.manifest.v1+prettyjws"'],
    ]);
    expect(results.slice(1).map((r) => [r.status, r.skipped.map((s) => s.reason)])).toEqual([
      ['skipped', ['artifact']],
      ['skipped', ['artifact']],
    ]);
    expect(results[1].skipped[0].detail).toContain(image.manifest.digest);
    expect(results[2].skipped[0].detail).toContain('helm');
  });

  it('reads Docker v2 schema 2 manifests and manifest lists', async () => {
    const set = new BlobSet();
    const amd64 = await set.image([{ entries: [{ path: 'x', content: '1' }] }], { docker: true });
    const arm = await set.image([{ entries: [{ path: 'x', content: '2' }] }], { docker: true, architecture: 'arm' });
    const list = set.index(
      [
        { ...amd64.manifest, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm.manifest, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      ],
      true,
    );
    const results = await readImage(set.writeLayout([list]), noCache);
    expect(results.map((r) => [r.status, r.ref.platform, r.indexDigest])).toEqual([
      ['scanned', 'linux/amd64', list.digest],
      ['scanned', 'linux/arm/v7', list.digest],
    ]);
  });

  it('refuses a directory that is not an image layout', async () => {
    await expect(readImage(tmp())).rejects.toThrow(/is not an OCI image layout/);
  });
});

describe('docker save and OCI archives', () => {
  it('reads a classic docker save archive by its manifest.json, layers identified by diff_id', async () => {
    const dir = tmp();
    const file = join(dir, 'app.tar');
    writeFileSync(
      file,
      await dockerSave(
        [
          { entries: [{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }, { path: 'root/.ssh/id_rsa', content: 'key' }] },
          { entries: [{ path: 'root/.ssh/.wh.id_rsa' }] },
        ],
        'registry.example.com/team/app:2.1',
        { User: 'app' },
      ),
    );
    const [result] = await readImage(file, { ...noCache, extraWants: (p) => p.includes('.ssh') });
    const image = scanned(result);
    expect(image.ref).toMatchObject({ registry: 'registry.example.com', repository: 'team/app', tag: '2.1', digest: null, platform: 'linux/amd64' });
    expect(image.manifestDigest).toBeNull();
    expect(image.config.config?.User).toBe('app');
    expect(image.layers).toHaveLength(2);
    expect(image.layers[0].digest).toBe((image.config.rootfs!.diff_ids[0]));
    expect(image.analysis.os?.id).toBe('debian');
    expect(image.allVersions.filter((f) => f.path.includes('.ssh')).map((f) => [f.path, f.deleted])).toEqual([['root/.ssh/id_rsa', true]]);
  });

  it('reads an OCI layout packed in a tar (oci-archive)', async () => {
    const set = new BlobSet();
    const image = await set.image([{ entries: [{ path: 'etc/os-release', content: 'ID=wolfi\n' }] }]);
    const layoutDir = set.writeLayout([image.manifest]);
    const entries: Entry[] = [
      { path: 'oci-layout', content: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
      { path: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [image.manifest] }) },
      ...[...set.blobs].map(([digest, bytes]) => ({ path: `blobs/sha256/${digest.slice(7)}`, content: bytes })),
    ];
    const file = join(layoutDir, '..', `oci-${Date.now()}.tar`);
    writeFileSync(file, await tarOf(entries));
    const [result] = await readImage(file, noCache);
    expect(scanned(result).analysis.os?.id).toBe('wolfi');
    rmSync(file);
  });

  it('asks for a compressed archive to be decompressed first', async () => {
    const file = join(tmp(), 'app.tar.gz');
    writeFileSync(file, gzipSync(await dockerSave([{ entries: [{ path: 'a', content: 'a' }] }], 'app:1')));
    await expect(readImage(file)).rejects.toThrow(/gzip-compressed; decompress it first/);
  });
});

describe('bad input', () => {
  it('fails the platform whose blob is missing and still reads the other', async () => {
    const set = new BlobSet();
    const good = await set.image([{ entries: [{ path: 'good', content: 'g' }] }]);
    const bad = await set.image([{ entries: [{ path: 'bad', content: 'b' }] }], { architecture: 'arm64' });
    const index = set.index([
      { ...bad.manifest, platform: { os: 'linux', architecture: 'arm64' } },
      { ...good.manifest, platform: { os: 'linux', architecture: 'amd64' } },
    ]);
    const dir = set.writeLayout([index]);
    rmSync(join(dir, 'blobs', 'sha256', bad.layers[0].digest.slice(7)));
    const results = await readImage(dir, noCache);
    expect(results.map((r) => r.status)).toEqual(['failed', 'scanned']);
    expect(failed(results[0]).error).toBe(`blob blobs/sha256/${bad.layers[0].digest.slice(7)} is missing from ${dir}`);
    expect(results[0].ref.platform).toBe('linux/arm64');
  });

  it('fails the platform whose manifest blob is missing', async () => {
    const set = new BlobSet();
    const good = await set.image([{ entries: [{ path: 'good', content: 'g' }] }]);
    const missing: Descriptor = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256(Buffer.from('nothing')), size: 7, platform: { os: 'linux', architecture: 'arm64' } };
    const dir = set.writeLayout([set.index([missing, { ...good.manifest, platform: { os: 'linux', architecture: 'amd64' } }])]);
    const results = await readImage(dir, noCache);
    expect(results.map((r) => r.status)).toEqual(['failed', 'scanned']);
    expect(failed(results[0]).error).toMatch(/manifest sha256:\w+ is missing/);
  });

  it('reports a layer blob cut short on disk (size and digest no longer match)', async () => {
    const { dir, image } = await layout([{ entries: [{ path: 'big', content: Buffer.alloc(200_000, 7) }] }]);
    const blob = join(dir, 'blobs', 'sha256', image.layers[0].digest.slice(7));
    truncateSync(blob, Math.floor(image.layers[0].size / 2));
    expect(failed((await readImage(dir, noCache))[0]).error).toMatch(/truncated/);
  });

  it('checks layer digests of local sources on request (sizes always)', async () => {
    const { dir, image } = await layout([{ entries: [{ path: 'etc/hostname', content: 'original' }], compression: 'none' }]);
    const blob = join(dir, 'blobs', 'sha256', image.layers[0].digest.slice(7));
    const altered = (await tarOf([{ path: 'etc/hostname', content: 'tampered' }]));
    writeFileSync(blob, altered);
    expect(scanned((await readImage(dir, noCache))[0]).entries[0].path).toBe('etc/hostname');
    expect(failed((await readImage(dir, { ...noCache, verifyLayerDigests: true }))[0]).error).toBe(`layer ${image.layers[0].digest} does not match its digest (corrupt or altered blob)`);
  });

  it('reports a gzip stream that ends early, even when the blob matches its digest', async () => {
    const set = new BlobSet();
    const full = compress(await tarOf([{ path: 'big', content: Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251)) }]), 'gzip');
    const layer = set.add(full.subarray(0, full.length - 200), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const config = set.json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }, 'application/vnd.oci.image.config.v1+json');
    const manifest = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
    const error = failed((await readImage(set.writeLayout([manifest]), noCache))[0]).error;
    expect(error).toBe(`layer ${layer.digest} is truncated (the gzip stream ends early)`);
  });

  it('reports an uncompressed tar and a zstd stream that end early', async () => {
    const tarBytes = await tarOf([{ path: 'big', content: Buffer.alloc(50_000, 1) }]);
    for (const [bytes, mediaType, expected] of [
      [tarBytes.subarray(0, 20_000), 'application/vnd.oci.image.layer.v1.tar', /truncated \(the tar stream ends early\)/],
      [zstdFrame(tarBytes).subarray(0, 30_000), 'application/vnd.oci.image.layer.v1.tar+zstd', /truncated \(the zstd stream ends early\)/],
    ] as const) {
      const set = new BlobSet();
      const layer = set.add(Buffer.from(bytes), mediaType);
      const config = set.json({ architecture: 'amd64', os: 'linux' }, 'application/vnd.oci.image.config.v1+json');
      const manifest = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
      expect(failed((await readImage(set.writeLayout([manifest]), noCache))[0]).error).toMatch(expected);
    }
  });

  it('stops a gzip bomb at the decompressed-bytes limit with a clear error', async () => {
    const set = new BlobSet();
    // 32 MiB of zeros compress to ~32 KiB.
    const bomb = gzipSync(await tarOf([{ path: 'zeros', content: Buffer.alloc(32 * 1024 * 1024) }]));
    const layer = set.add(bomb, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const config = set.json({ architecture: 'amd64', os: 'linux' }, 'application/vnd.oci.image.config.v1+json');
    const manifest = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
    const before = process.memoryUsage().rss;
    const error = failed((await readImage(set.writeLayout([manifest]), { ...noCache, limits: { maxDecompressedBytes: 8 * 1024 * 1024 } }))[0]).error;
    expect(error).toMatch(/decompresses to more than 8\.0 MiB \(maxDecompressedBytes\); stopped reading/);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it('stops a zstd bomb of run-length blocks at the limit', async () => {
    const set = new BlobSet();
    const header = (await tarOf([{ path: 'zeros', content: Buffer.alloc(1) }])).subarray(0, 512);
    // A tar header announcing a 1 GiB file, then RLE blocks of 128 KiB zeros (4 bytes each).
    header.write('00010000000\0', 124, 'latin1');
    let sum = 0;
    header.fill(0x20, 148, 156);
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const blocks = Array.from({ length: 2048 }, (_, i) => zstdRleBlock(0, 128 * 1024, i === 2047));
    const layer = set.add(zstdFrame(header, blocks), 'application/vnd.oci.image.layer.v1.tar+zstd');
    const config = set.json({ architecture: 'amd64', os: 'linux' }, 'application/vnd.oci.image.config.v1+json');
    const manifest = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
    const error = failed((await readImage(set.writeLayout([manifest]), { ...noCache, limits: { maxDecompressedBytes: 16 * 1024 * 1024 } }))[0]).error;
    expect(error).toMatch(/maxDecompressedBytes/);
  });

  it('refuses images over the layer-count and image-size limits before downloading', async () => {
    const { dir } = await layout([{ entries: [{ path: 'a', content: 'a' }] }, { entries: [{ path: 'b', content: 'b' }] }]);
    expect(failed((await readImage(dir, { ...noCache, limits: { maxLayers: 1 } }))[0]).error).toBe('the image has 2 layers, more than 1 (maxLayers)');
    expect(failed((await readImage(dir, { ...noCache, limits: { maxImageBytes: 100 } }))[0]).error).toMatch(/more than 100 B \(maxImageBytes\)/);
  });

  it('does not read wanted files over the file size limit into memory, and says so', async () => {
    const { dir } = await layout([{ entries: [{ path: 'var/lib/dpkg/status', content: 'x'.repeat(5000) }, { path: 'small', content: 'ok' }] }]);
    const image = scanned((await readImage(dir, { ...noCache, extraWants: () => true, limits: { maxFileBytes: 1000 } }))[0]);
    expect([...image.files.keys()]).toEqual(['small']);
    expect(image.warnings).toEqual([expect.stringMatching(/1 wanted file larger than 1000 B \(maxFileBytes\) not read/)]);
  });

  it('rejects a corrupt config and invalid limits', async () => {
    const set = new BlobSet();
    const config = set.add(Buffer.from('not json'), 'application/vnd.oci.image.config.v1+json');
    const manifest = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [] }, 'application/vnd.oci.image.manifest.v1+json');
    expect(failed((await readImage(set.writeLayout([manifest]), noCache))[0]).error).toBe('the image config is not valid JSON');
    await expect(readImage(set.writeLayout([manifest]), { limits: { maxFileBytes: -1 } })).rejects.toThrow(/maxFileBytes must be a positive integer/);
  });
});

describe('one pass for analyzers, checks and inspectors', () => {
  it('hands an inspector every file it wants without keeping the content', async () => {
    const { dir } = await layout([{ entries: [{ path: 'app/config.js', content: 'const key = "AKIA";' }, { path: 'app/logo.png', content: 'png' }] }, { entries: [{ path: 'app/.wh.config.js' }] }]);
    const image = scanned(
      (
        await readImage<{ path: string; length: number }>(dir, {
          ...noCache,
          inspect: { key: 'test-inspector', wants: (p) => p.endsWith('.js'), inspect: (f) => [{ path: f.path, length: f.content.length }] },
        })
      )[0],
    );
    expect(image.inspected.map((l) => [l.layerIndex, l.items])).toEqual([
      [0, [{ path: 'app/config.js', length: 19 }]],
      [1, []],
    ]);
    expect(image.files.size).toBe(0);
    expect(image.entries.find((e) => e.path === 'app/config.js')!.deleted).toBe(true);
  });

  it('reads each layer once per plan and serves repeats from the layer cache', async () => {
    const { dir, image } = await layout([{ entries: [{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.0\n' }] }]);
    const cache = new LayerCache();
    const wants = (p: string) => p === 'etc/os-release';
    scanned((await readImage(dir, { layerCache: cache, extraWants: wants }))[0]);
    expect(cache.size).toBe(1);
    // The layer blob is gone: only the cache can answer.
    rmSync(join(dir, 'blobs', 'sha256', image.layers[0].digest.slice(7)));
    const again = scanned((await readImage(dir, { layerCache: cache, extraWants: wants }))[0]);
    expect(again.files.get('etc/os-release')!.content.toString()).toContain('alpine');
    expect(again.analysis.os?.versionId).toBe('3.19.0');
    // Another plan (other wants) is not served what the first one read.
    expect((await readImage(dir, { layerCache: cache, extraWants: () => true }))[0].status).toBe('failed');
    expect((await readImage(dir, { layerCache: null, extraWants: wants }))[0].status).toBe('failed');
  });

  it('evicts the least recently used layers beyond its memory budget', () => {
    const cache = new LayerCache(10_000);
    const scan = (digest: string, bytes: number) => ({
      digest,
      entries: [],
      whiteouts: [],
      opaqueDirs: [],
      files: [{ path: 'x', mode: 0, uid: 0, gid: 0, size: bytes, entry: 0, raw: Buffer.alloc(bytes), rawFor: [], extra: true, condensed: new Map() }],
      inspected: [],
      decompressedBytes: bytes,
      warnings: [],
    });
    cache.set('a', scan('a', 4000));
    cache.set('b', scan('b', 4000));
    cache.get('a');
    cache.set('c', scan('c', 4000));
    expect([cache.get('a')?.digest, cache.get('b')?.digest, cache.get('c')?.digest]).toEqual(['a', undefined, 'c']);
    cache.set('huge', scan('huge', 20_000));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
  });
});
