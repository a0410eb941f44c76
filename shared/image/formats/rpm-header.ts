/**
 * RPM header blobs, as the rpm database stores them (no lead, no header magic): a big-endian
 * count of index entries and length of the data store, the 16-byte index entries (tag, type,
 * offset into the store, count), then the store. We read the few tags a package inventory needs.
 */

export const RPMTAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  arch: 1022,
  sourceRpm: 1044,
} as const;

export const RPM_TYPE = { int32: 4, string: 6, bin: 7, stringArray: 8, i18nString: 9 } as const;

export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch: number | null;
  arch: string | null;
  sourceRpm: string | null;
}

const MAX_ENTRIES = 0x10000;
const MAX_DATA = 256 * 1024 * 1024;

export function parseRpmHeader(blob: Uint8Array): RpmHeader {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.byteLength < 8) throw new Error('header blob too short');
  const entries = view.getUint32(0);
  const dataLength = view.getUint32(4);
  if (entries > MAX_ENTRIES || dataLength > MAX_DATA) throw new Error('header blob sizes out of range');
  const storeStart = 8 + entries * 16;
  if (storeStart + dataLength > blob.byteLength) throw new Error('header blob truncated');

  const strings = new Map<number, string>();
  let epoch: number | null = null;
  for (let i = 0; i < entries; i++) {
    const at = 8 + i * 16;
    const tag = view.getInt32(at);
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset >= dataLength) continue;
    if (tag === RPMTAG.epoch && type === RPM_TYPE.int32 && count >= 1 && offset + 4 <= dataLength) {
      epoch = view.getInt32(storeStart + offset);
    } else if ((Object.values(RPMTAG) as number[]).includes(tag) && (type === RPM_TYPE.string || type === RPM_TYPE.i18nString || type === RPM_TYPE.stringArray) && !strings.has(tag)) {
      strings.set(tag, cString(blob, storeStart + offset, storeStart + dataLength));
    }
  }
  const name = strings.get(RPMTAG.name);
  const version = strings.get(RPMTAG.version);
  const release = strings.get(RPMTAG.release);
  if (!name || !version || release === undefined) throw new Error('header blob lacks name, version or release');
  return { name, version, release, epoch, arch: strings.get(RPMTAG.arch) ?? null, sourceRpm: strings.get(RPMTAG.sourceRpm) ?? null };
}

function cString(blob: Uint8Array, from: number, end: number): string {
  let to = from;
  while (to < end && blob[to] !== 0) to++;
  return Buffer.from(blob.buffer, blob.byteOffset + from, to - from).toString('utf8');
}

/** `bash-5.1.8-6.el9.src.rpm` → name `bash`, version `5.1.8`, release `6.el9`. */
export function splitSourceRpm(file: string): { name: string; version: string; release: string } | null {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1], version: m[2], release: m[3] } : null;
}

/** `[epoch:]version-release`, the form rpm advisories compare. */
export function evr(epoch: number | null, version: string, release: string): string {
  return `${epoch ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
}
