import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readArchiveTree, repositoryPath } from '../../shared/scm/archive.ts';
import { TarError, tarFiles } from '../../shared/scm/tar.ts';
import { sourceArchive, tar, tarGz, type TarEntry } from '../support/tar.ts';

/** The bytes as a stream of `size`-byte chunks (archives arrive in arbitrary pieces). */
async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(bytes: Buffer, chunkSize = bytes.length || 1, keep: (path: string, size: number) => boolean = () => true) {
  const out: Record<string, string> = {};
  for await (const file of tarFiles(inChunks(bytes, chunkSize), keep)) out[file.path] = file.data.toString('utf8');
  return out;
}

const longName = `${'a'.repeat(120)}/${'b'.repeat(120)}/${'c'.repeat(120)}.yaml`;

const sample: TarEntry[] = [
  { type: 'directory', path: 'top' },
  { path: 'top/a.yaml', content: 'kind: Pod\n' },
  { path: 'top/empty.txt', content: '' },
  { path: 'top/exact.bin', content: Buffer.alloc(512, 0x61) },
  { type: 'symlink', path: 'top/link.yaml', target: '/etc/passwd' },
  { path: `top/${'p'.repeat(90)}/${'q'.repeat(90)}.yaml`, content: 'ustar prefix\n' },
  { path: `top/${longName}`, content: 'pax path\n' },
  { path: 'top/ünïcode/名前.yaml', content: 'utf-8 names\n' },
];

describe('tarFiles (streaming tar reader)', () => {
  it('reads regular files with ustar prefixes, pax paths and UTF-8 names; skips folders and links', async () => {
    const expected = {
      'top/a.yaml': 'kind: Pod\n',
      'top/empty.txt': '',
      'top/exact.bin': 'a'.repeat(512),
      [`top/${'p'.repeat(90)}/${'q'.repeat(90)}.yaml`]: 'ustar prefix\n',
      [`top/${longName}`]: 'pax path\n',
      'top/ünïcode/名前.yaml': 'utf-8 names\n',
    };
    expect(await readAll(tar(sample, { comment: 'f'.repeat(40) }))).toEqual(expected);
  });

  it('gives the same files whatever the chunk sizes of the stream', async () => {
    const archive = tar(sample, { comment: 'f'.repeat(40) });
    const whole = await readAll(archive);
    for (const size of [1, 7, 511, 513, 4096]) expect(await readAll(archive, size)).toEqual(whole);
  });

  it('reads GNU long names', async () => {
    expect(await readAll(tar([{ path: `top/${longName}`, content: 'gnu\n' }, { path: 'top/short', content: 'next\n' }], { longNames: 'gnu' }))).toEqual({
      [`top/${longName}`]: 'gnu\n',
      'top/short': 'next\n',
    });
  });

  it('skips the bodies `keep` refuses and stays aligned for the next entries', async () => {
    const seen: [string, number][] = [];
    const archive = tar([
      { path: 'big', content: Buffer.alloc(10_000, 0x62) },
      { path: 'odd', content: 'x'.repeat(513) },
      { path: 'kept', content: 'yes\n' },
    ]);
    const files = await readAll(archive, 100, (path, size) => {
      seen.push([path, size]);
      return path === 'kept';
    });
    expect(files).toEqual({ kept: 'yes\n' });
    expect(seen).toEqual([
      ['big', 10_000],
      ['odd', 513],
      ['kept', 4],
    ]);
  });

  it('ends quietly without the end-of-archive blocks, and on an empty archive', async () => {
    const full = tar([{ path: 'a', content: 'x' }]);
    expect(await readAll(full.subarray(0, full.length - 1024))).toEqual({ a: 'x' });
    expect(await readAll(tar([]))).toEqual({});
    expect(await readAll(Buffer.alloc(0))).toEqual({});
  });

  it('fails on a truncated body and on a header that is not tar', async () => {
    const full = tar([{ path: 'a', content: 'x'.repeat(2000) }]);
    await expect(readAll(full.subarray(0, 1200))).rejects.toBeInstanceOf(TarError);
    const corrupt = Buffer.from(full);
    corrupt[0] = 0x5a;
    await expect(readAll(corrupt)).rejects.toThrow(/checksum/);
    await expect(readAll(Buffer.from('<html>not an archive</html>'.padEnd(600)))).rejects.toThrow(/not a tar archive/);
  });
});

describe('readArchiveTree (source archives)', () => {
  it('strips the top folder and keeps only valid UTF-8 text files', async () => {
    const archive = sourceArchive('acme-shop-1f1f1f1', {
      'k8s/app.yaml': 'kind: Pod\n',
      'README.md': '# shop\n',
      'img.png': Buffer.from([0x89, 0x50, 0x00]),
      'latin1.txt': Buffer.from([0xe9]),
      'bom.yaml': Buffer.from('\ufeffkind: Service\n'),
    });
    const tree = await readArchiveTree(inChunks(archive, 1000), () => true);
    expect(Object.fromEntries(tree)).toEqual({ 'README.md': '# shop\n', 'bom.yaml': 'kind: Service\n', 'k8s/app.yaml': 'kind: Pod\n' });
  });

  it('asks `wanted` with repository paths and honours the size cap', async () => {
    const archive = sourceArchive('top', { 'a.yaml': '12345', 'b.yaml': '1234567890', 'c.txt': '1' });
    const asked: string[] = [];
    const tree = await readArchiveTree(
      inChunks(archive, 64),
      (path) => {
        asked.push(path);
        return path.endsWith('.yaml');
      },
      5,
    );
    expect([...tree.keys()]).toEqual(['a.yaml']);
    expect(asked.sort()).toEqual(['a.yaml', 'c.txt']);
  });

  it('ignores entries that would land outside the repository', async () => {
    const archive = tarGz([
      { path: 'top/ok.yaml', content: 'ok\n' },
      { path: 'top/../../etc/cron.yaml', content: 'no\n' },
      { path: '/etc/passwd', content: 'no\n' },
      { path: 'top/a/../../b.yaml', content: 'no\n' },
      { path: 'loose-file.yaml', content: 'no: no top folder\n' },
      { path: './top/./dot.yaml', content: 'dot\n' },
    ]);
    expect(Object.fromEntries(await readArchiveTree(inChunks(archive, 4096), () => true))).toEqual({ 'ok.yaml': 'ok\n', 'dot.yaml': 'dot\n' });
  });

  it('fails on a download that is not gzip', async () => {
    await expect(readArchiveTree(inChunks(tar([{ path: 'top/a', content: 'x' }]), 512), () => true)).rejects.toThrow(/header/i);
  });

  it('fails on a cut-off download', async () => {
    const archive = gzipSync(tar([{ path: 'top/a', content: 'x'.repeat(100_000) }]));
    await expect(readArchiveTree(inChunks(archive.subarray(0, archive.length / 2), 512), () => true)).rejects.toThrow();
  });

  it('repositoryPath', () => {
    expect(repositoryPath('acme-shop-abc/k8s/app.yaml')).toBe('k8s/app.yaml');
    expect(repositoryPath('acme-shop-abc/')).toBeNull();
    expect(repositoryPath('acme-shop-abc/..')).toBeNull();
    expect(repositoryPath('acme-shop-abc/a/../b')).toBeNull();
    expect(repositoryPath('/abs/path')).toBeNull();
    expect(repositoryPath('acme-shop-abc//double//slash')).toBe('double/slash');
  });
});
