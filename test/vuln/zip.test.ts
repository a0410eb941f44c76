import { describe, expect, it } from 'vitest';
import { listZipEntries, readZipEntry, ZipFormatError } from '../../shared/vuln/zip.ts';
import { writeZip } from '../support/zip.ts';

const FILES = [
  { name: 'A-1.json', content: '{"id":"A-1"}' },
  { name: 'dir/B-2.json', content: JSON.stringify({ id: 'B-2', summary: 'x'.repeat(5000) }), method: 'store' as const },
  { name: 'empty.txt', content: '' },
];

describe('zip reader', () => {
  for (const zip64 of [false, true]) {
    it(`reads stored and deflated entries${zip64 ? ' (ZIP64 layout)' : ''}`, () => {
      const zip = writeZip(FILES, { zip64 });
      const entries = listZipEntries(zip);
      expect(entries.map((e) => [e.name, e.method])).toEqual([
        ['A-1.json', 8],
        ['dir/B-2.json', 0],
        ['empty.txt', 8],
      ]);
      expect(entries.map((e) => readZipEntry(zip, e).toString('utf8'))).toEqual(FILES.map((f) => f.content));
    });
  }

  it('rejects a truncated archive', () => {
    const zip = writeZip(FILES);
    expect(() => listZipEntries(zip.subarray(0, zip.length - 10))).toThrow(ZipFormatError);
    expect(() => listZipEntries(Buffer.from('not a zip at all, just some text'))).toThrow(/not a zip archive/);
  });

  it('rejects a corrupted entry (CRC-32) and an entry over the size limit', () => {
    const zip = writeZip([{ name: 'a.json', content: 'hello world', method: 'store' }]);
    const [entry] = listZipEntries(zip);
    const corrupted = Buffer.from(zip);
    corrupted[30 + 'a.json'.length] ^= 0xff;
    expect(() => readZipEntry(corrupted, entry)).toThrow(/CRC-32/);
    expect(() => readZipEntry(zip, entry, 5)).toThrow(/over the 5-byte limit/);
  });

  it('refuses to inflate past the declared size (a bomb cannot grow in memory)', () => {
    const zip = writeZip([{ name: 'bomb.json', content: Buffer.alloc(1_000_000) }]);
    const [entry] = listZipEntries(zip);
    expect(() => readZipEntry(zip, { ...entry, size: 1000 })).toThrow(ZipFormatError);
  });
});
