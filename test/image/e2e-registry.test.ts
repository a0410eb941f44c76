// The whole path with real components: Debian's docker-registry (Distribution v2) sends its push
// notifications to `shipwatch serve`; skopeo pushes OCI layouts built here from real files; the
// findings must come out of GET /findings. Needs `apt-get install -y docker-registry skopeo`.
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { startServer, type RunningServer } from '../../shared/server/serve.ts';
import { ALNUM, BASE64, fake } from '../secrets/fixtures.ts';
import { writeOciLayout, type ImageSpec } from './checks/build-image.ts';
import { startRegistry, type LocalRegistry } from './checks/local-registry.ts';
import { freePort } from '../support/moto.ts';

const TOKEN = fake(ALNUM, 40, 99);
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${fake(BASE64, 64, 1)}\n${fake(BASE64, 64, 2)}\n${fake(BASE64, 32, 3)}\n-----END RSA PRIVATE KEY-----\n`;

const dpkg = (packages: [string, string, string?][]) =>
  packages.map(([name, version, source]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\n`).join('\n');

const DEBIAN_OS = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n';

/** The web image: Debian packages, an npm lockfile, and a deploy key added then deleted. */
function webImage(opensslVersion: string, withKey: boolean): ImageSpec {
  return {
    created: new Date().toISOString(),
    config: { User: '10001', Labels: { 'org.opencontainers.image.source': 'https://github.com/example/web', 'org.opencontainers.image.revision': opensslVersion } },
    layers: [
      {
        createdBy: '/bin/sh -c #(nop) ADD file:1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00 in / ',
        files: { 'etc/os-release': DEBIAN_OS, 'etc/passwd': PASSWD, 'var/lib/dpkg/status': dpkg([['openssl', opensslVersion], ['libssl3', opensslVersion, 'openssl'], ['bash', '5.2.15-2+b2']]) },
      },
      { createdBy: 'COPY . /app # buildkit', files: { 'app/package-lock.json': JSON.stringify({ name: 'web', lockfileVersion: 3, packages: { '': { name: 'web' }, 'node_modules/lodash': { version: '4.17.20' } } }), ...(withKey ? { 'root/.ssh/id_rsa': PRIVATE_KEY } : {}) } },
      { createdBy: 'RUN /bin/sh -c rm -f /root/.ssh/id_rsa # buildkit', ...(withKey ? { delete: ['root/.ssh/id_rsa'] } : { files: { 'app/.built': 'yes' } }) },
    ],
  };
}

/** The tool image: Alpine with an apk installed database. */
const toolImage = (): ImageSpec => ({
  created: new Date().toISOString(),
  config: { User: '10001' },
  layers: [
    {
      createdBy: '/bin/sh -c #(nop) ADD file:aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff001122 in / ',
      files: {
        'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
        'etc/passwd': PASSWD,
        'lib/apk/db/installed': 'C:Q1abc=\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\nC:Q1def=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n',
      },
    },
  ],
});

/** OSV records for the packages above, in a folder as `--vuln-db` takes it. */
function vulnData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-e2e-osv-'));
  const records = [
    { id: 'DSA-9101-1', aliases: ['CVE-2026-20001'], summary: 'openssl flaw', affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.15-1~deb12u1' }] }] }], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
    { id: 'GHSA-e2e0-lodash', summary: 'lodash flaw', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }] },
    { id: 'ALPINE-CVE-2026-20003', aliases: ['CVE-2026-20003'], summary: 'busybox flaw', affected: [{ package: { ecosystem: 'Alpine:v3.19', name: 'busybox' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.36.1-r16' }] }] }], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }] },
  ];
  for (const record of records) {
    const file = join(dir, `${record.id}.json`);
    writeFileSync(file, JSON.stringify({ modified: '2026-01-01T00:00:00Z', ...record }));
    utimesSync(file, new Date(), new Date());
  }
  return dir;
}

let registry: LocalRegistry;
let server: RunningServer;
let registryHost: string;
const logs: string[] = [];

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nserver log:\n${logs.join('\n')}\nregistry log:\n${registry?.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const push = (layout: string, reference: string) => registry.push(layout, reference);

async function findings(query: string): Promise<StoredFinding[]> {
  const res = await fetch(`${server.url}/findings?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { findings: StoredFinding[] }).findings;
}

beforeAll(async () => {
  // The registry's address goes on the server's allowlist and the server's URL into the registry's
  // notification endpoint: pick the registry port, start the server, then the registry.
  const env: NodeJS.ProcessEnv = { ...process.env, SHIPWATCH_REGISTRY_TOKEN: TOKEN, SHIPWATCH_VULN_DB: vulnData() };
  delete env.AWS_ENDPOINT_URL; // the embedded store and in-process queues, as on a laptop
  delete env.SHIPWATCH_SLACK_WEBHOOK_URL;
  registryHost = `127.0.0.1:${await freePort()}`;
  env.SHIPWATCH_REGISTRIES = `${registryHost}=http`;
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: mkdtempSync(join(tmpdir(), 'shipwatch-e2e-store-')), env, log: (line) => void logs.push(line) });
  registry = await startRegistry({ url: `${server.url}/webhooks/registry`, token: TOKEN }, registryHost);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await server?.close();
});

describe('registry push -> notification -> queue -> scan -> store -> GET /findings', () => {
  it('a push of a Debian image with a deleted private key and a vulnerable lockfile produces its findings', async () => {
    const { dir } = await writeOciLayout(webImage('3.0.11-1~deb12u2', true), { tag: '1.0' });
    push(dir, 'team/web:1.0');
    const image = `${registryHost}/team/web`;
    const found = await waitFor('the web image findings', async () => {
      const list = await findings(`source=image&image=${encodeURIComponent(image)}`);
      return list.some((f) => f.ruleId === 'IMG-081') ? list : null;
    });
    const byRule = (id: string) => found.filter((f) => f.ruleId === id);

    const key = byRule('IMG-045');
    expect(key).toEqual([expect.objectContaining({ severity: 'critical', source: 'image', status: 'open', location: { file: '/root/.ssh/id_rsa', line: 1 }, scope: { image, ref: '1.0' } })]);
    expect(key[0].image).toMatchObject({ registry: registryHost, repository: 'team/web', tag: '1.0', digest: expect.stringMatching(/^sha256:/), platform: 'linux/amd64', layerDigest: expect.stringMatching(/^sha256:/), historyIndex: 1 });
    expect(JSON.stringify(found)).not.toContain(PRIVATE_KEY.split('\n')[1]);

    expect(byRule('IMG-080').map((f) => (f.vulnerability as { package: string }).package).sort()).toEqual(['libssl3', 'openssl']);
    expect(byRule('IMG-081')).toEqual([expect.objectContaining({ location: { file: '/app/package-lock.json', line: null }, vulnerability: expect.objectContaining({ id: 'GHSA-e2e0-lodash', package: 'lodash', fixAvailable: true }) })]);

    // Blob pushes were ignored, the manifest push queued one scan; serious findings alerted (console channel).
    await server.idle();
    expect(logs.some((l) => /registry webhook: 202 1 image scan\(s\) queued/.test(l))).toBe(true);
    expect(logs.some((l) => l.startsWith('would post to Slack') && l.includes('IMG-045')), logs.join('\n')).toBe(true);
  }, 120_000);

  it('an Alpine image pushed through the same path has its apk packages matched', async () => {
    const { dir } = await writeOciLayout(toolImage(), { tag: '3.19' });
    push(dir, 'team/tool:3.19');
    const image = `${registryHost}/team/tool`;
    const found = await waitFor('the tool image findings', async () => {
      const list = await findings(`source=image&image=${encodeURIComponent(image)}`);
      return list.some((f) => f.ruleId === 'IMG-080') ? list : null;
    });
    expect(found.filter((f) => f.ruleId === 'IMG-080')).toEqual([expect.objectContaining({ vulnerability: expect.objectContaining({ id: 'ALPINE-CVE-2026-20003', package: 'busybox', ecosystem: 'Alpine:v3.19', fixedVersion: '1.36.1-r16' }) })]);
  }, 120_000);

  it('a newer push of the same tag supersedes what the old digest had and the new one lacks', async () => {
    const image = `${registryHost}/team/web`;
    const before = await findings(`source=image&image=${encodeURIComponent(image)}&status=open`);
    const keyFinding = before.find((f) => f.ruleId === 'IMG-045')!;
    const lodash = before.find((f) => f.ruleId === 'IMG-081')!;
    const { dir } = await writeOciLayout(webImage('3.0.15-1~deb12u1', false), { tag: '1.0' });
    push(dir, 'team/web:1.0');

    const superseded = await waitFor('the old findings to be superseded', async () => {
      const res = await fetch(`${server.url}/findings/${keyFinding.fingerprint}`);
      const body = (await res.json()) as { finding: StoredFinding; history: { event: string; reason?: string }[] };
      return body.history.some((h) => h.event === 'superseded') ? body : null;
    });
    expect(superseded.finding.status).toBe('superseded');
    expect(superseded.history.at(-1)).toMatchObject({ event: 'superseded', reason: expect.stringMatching(/^1\.0 now points at sha256:/) });
    expect(superseded.history.some((h) => h.event === 'resolved')).toBe(false);

    const open = await findings(`source=image&image=${encodeURIComponent(image)}&status=open`);
    expect(open.some((f) => f.ruleId === 'IMG-080')).toBe(false);
    // Still in the new image: the same finding, now pointing at the new digest.
    const stillOpen = open.find((f) => f.fingerprint === lodash.fingerprint);
    expect(stillOpen?.image?.digest).not.toBe(lodash.image?.digest);
  }, 120_000);

  it('a forged notification naming another registry is refused and nothing is fetched from it', async () => {
    const forged = {
      events: [{ id: 'forged-1', timestamp: new Date().toISOString(), action: 'push', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'1'.repeat(64)}`, repository: 'x/y', tag: 'v1', url: 'http://10.0.0.1/v2/x/y/manifests/v1' }, request: { host: '10.0.0.1:5000' } }],
    };
    const res = await fetch(`${server.url}/webhooks/registry`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: JSON.stringify(forged) });
    expect(res.status).toBe(200);
    expect((await res.json()) as object).toMatchObject({ queued: 0, refused: [expect.stringContaining('"10.0.0.1:5000" is not in SHIPWATCH_REGISTRIES')] });
    const wrongToken = await fetch(`${server.url}/webhooks/registry`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: JSON.stringify(forged) });
    expect(wrongToken.status).toBe(401);
  });
});
