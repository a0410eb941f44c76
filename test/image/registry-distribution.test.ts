// The registry client against a real Distribution registry (Debian's docker-registry), images pushed
// with skopeo from OCI layouts built in the test: a single-platform image and a multi-platform index.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, type ScannedImage } from '../../shared/image/read.ts';
import { parseAllowedRegistries } from '../../shared/image/registry/allowlist.ts';
import { freePort } from '../support/moto.ts';
import { BlobSet } from './read-fixtures.ts';

let registry: ChildProcess;
let host = '';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-distribution-'));
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${host}\n`);
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`http://${host}/v2/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('docker-registry did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(() => {
  registry?.kill();
});

function push(layoutDir: string, tag: string, all = false): void {
  const result = spawnSync('skopeo', ['copy', ...(all ? ['--all'] : []), '--dest-tls-verify=false', `oci:${layoutDir}:${tag}`, `docker://${host}/shipwatch/app:${tag}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`skopeo copy failed: ${result.stderr}`);
}

describe('a real Distribution registry', () => {
  it('reads a pushed image by tag and by digest', async () => {
    const set = new BlobSet();
    const image = await set.image([
      { entries: [{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.3\n' }, { path: 'lib/apk/db/installed', content: 'P:busybox\nV:1.36.1-r29\nA:x86_64\no:busybox\n' }] },
      { entries: [{ path: 'app/package-lock.json', content: JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lodash': { version: '4.17.20' } } }) }] },
    ]);
    push(set.writeLayout([{ ...image.manifest, annotations: { 'org.opencontainers.image.ref.name': 'single' } }]), 'single');
    const options = { registries: parseAllowedRegistries(`${host}=http`), layerCache: null };
    const [byTag] = await readImage(`${host}/shipwatch/app:single`, options);
    expect(byTag.status).toBe('scanned');
    expect((byTag as ScannedImage).analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`)).toEqual(['Alpine:v3.20 busybox 1.36.1-r29', 'npm lodash 4.17.20']);
    const [byDigest] = await readImage(`${host}/shipwatch/app@${byTag.manifestDigest}`, options);
    expect(byDigest).toMatchObject({ status: 'scanned', manifestDigest: byTag.manifestDigest, ref: { tag: null } });
  });

  it('reads each platform of a pushed index', async () => {
    const set = new BlobSet();
    const amd64 = await set.image([{ entries: [{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }] }]);
    const arm64 = await set.image([{ entries: [{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }, { path: 'arm', content: 'x' }] }], { architecture: 'arm64' });
    const index = set.index([
      { ...amd64.manifest, platform: { os: 'linux', architecture: 'amd64' } },
      { ...arm64.manifest, platform: { os: 'linux', architecture: 'arm64' } },
    ]);
    push(set.writeLayout([{ ...index, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }]), 'multi', true);
    const results = await readImage(`${host}/shipwatch/app:multi`, { registries: parseAllowedRegistries(`${host}=http`), layerCache: null });
    expect(results.map((r) => [r.status, r.ref.platform, r.indexDigest !== null])).toEqual([
      ['scanned', 'linux/amd64', true],
      ['scanned', 'linux/arm64', true],
    ]);
  });
});
