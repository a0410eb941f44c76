import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readImage, type ScannedImage } from '../../shared/image/read.ts';
import { allowedRegistry, parseAllowedRegistries, RegistryNotAllowedError } from '../../shared/image/registry/allowlist.ts';
import { parseChallenge } from '../../shared/image/registry/challenge.ts';
import { RegistryClient } from '../../shared/image/registry/client.ts';
import { staticCredentials } from '../../shared/image/registry/credentials.ts';
import { ecrCredentials, ecrManifest, parseEcrHost } from '../../shared/image/registry/ecr.ts';
import { useMoto } from '../support/aws.ts';
import { RegistryStandIn } from '../support/registry-stand-in.ts';
import { BlobSet, type Descriptor } from './read-fixtures.ts';

const standIns: RegistryStandIn[] = [];
async function registry(options: ConstructorParameters<typeof RegistryStandIn>[0] = {}): Promise<RegistryStandIn> {
  const standIn = await new RegistryStandIn(options).start();
  standIns.push(standIn);
  return standIn;
}
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.stop()));
});

const osRelease = (id: string, version: string) => ({ path: 'etc/os-release', content: `ID=${id}\nVERSION_ID="${version}"\n` });

/** A two-platform image (amd64, arm64) plus a windows entry and a BuildKit attestation for amd64. */
async function multiPlatform(docker = false) {
  const set = new BlobSet();
  const amd64 = await set.image([{ entries: [osRelease('alpine', '3.19.1'), { path: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\n' }] }], { docker });
  const arm64 = await set.image([{ entries: [osRelease('alpine', '3.19.1')] }], { docker, architecture: 'arm64' });
  const windows = await set.image([{ entries: [{ path: 'Windows/System32/x', content: 'x' }] }], { docker });
  const attestation = set.json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: set.json({}, 'application/vnd.oci.image.config.v1+json'), layers: [] }, 'application/vnd.oci.image.manifest.v1+json');
  const entries: Descriptor[] = [
    { ...amd64.manifest, platform: { os: 'linux', architecture: 'amd64' } },
    { ...arm64.manifest, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { ...windows.manifest, platform: { os: 'windows', architecture: 'amd64' } },
    { ...attestation, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd64.manifest.digest } },
  ];
  const index = set.index(entries, docker);
  return { set, index, amd64, arm64 };
}

describe('SHIPWATCH_REGISTRIES', () => {
  it('parses host, host:port and =http entries', () => {
    expect(parseAllowedRegistries(' ghcr.io, 127.0.0.1:5000=http ,123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual([
      { host: 'ghcr.io', scheme: 'https' },
      { host: '127.0.0.1:5000', scheme: 'http' },
      { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', scheme: 'https' },
    ]);
    expect(parseAllowedRegistries(undefined)).toEqual([]);
  });

  it.each(['https://ghcr.io', 'ghcr.io/team', 'ghcr.io=https', 'ghcr.io:99999', 'bad host', 'a=http=http'])('refuses the malformed entry %s, naming it', (entry) => {
    expect(() => parseAllowedRegistries(entry)).toThrow(entry);
  });

  it('matches host and port exactly', () => {
    const allowed = parseAllowedRegistries('registry.example.com');
    expect(allowedRegistry(allowed, 'Registry.Example.com').host).toBe('registry.example.com');
    expect(() => allowedRegistry(allowed, 'registry.example.com:8443')).toThrow(RegistryNotAllowedError);
    expect(() => allowedRegistry(allowed, 'registry.example.com.evil.io')).toThrow(/not in SHIPWATCH_REGISTRIES/);
  });

  it('refuses a registry that is not allowed before sending a single request', async () => {
    const standIn = await registry();
    await expect(readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries('ghcr.io') })).rejects.toThrow(RegistryNotAllowedError);
    await expect(readImage(`169.254.169.254/latest:meta-data`, { registries: [] })).rejects.toThrow(/"169.254.169.254" is not in SHIPWATCH_REGISTRIES \(allowed: none configured\)/);
    expect(standIn.requests).toEqual([]);
  });

  it('speaks plain HTTP only to a registry configured with =http', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry();
    standIn.push('app', set.blobs, index, '1');
    // Without =http the client insists on TLS, which the plain-HTTP stand-in cannot answer.
    await expect(readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(standIn.host), layerCache: null })).rejects.toThrow(/cannot reach registry/);
    expect(standIn.requests).toEqual([]);
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads Bearer and Basic parameters, quoted or not', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="ECR \\"quoted\\"", charset=UTF-8')).toEqual({ scheme: 'basic', params: { realm: 'ECR "quoted"', charset: 'UTF-8' } });
    expect(parseChallenge('Bearer realm="x", Basic realm="y"')!.params).toEqual({ realm: 'x' });
    expect(parseChallenge(null)).toBeNull();
  });
});

describe('reading from a registry', () => {
  it('scans every linux platform of a manifest list, skipping windows and keeping the attestation with its image', async () => {
    for (const docker of [false, true]) {
      const { set, index, amd64, arm64 } = await multiPlatform(docker);
      const standIn = await registry();
      standIn.push('team/app', set.blobs, index, '1.0');
      const results = await readImage(`${standIn.host}/team/app:1.0`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
      expect(results.map((r) => [r.status, r.ref.platform, r.manifestDigest, r.indexDigest])).toEqual([
        ['scanned', 'linux/amd64', amd64.manifest.digest, index.digest],
        ['scanned', 'linux/arm64/v8', arm64.manifest.digest, index.digest],
      ]);
      expect(results[0].ref).toMatchObject({ registry: standIn.host, repository: 'team/app', tag: '1.0' });
      expect(results[0].skipped.map((s) => [s.reason, s.platform])).toEqual([
        ['platform-not-selected', 'windows/amd64'],
        ['attestation', 'unknown/unknown'],
      ]);
      expect((results[0] as ScannedImage).analysis.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`)).toEqual(['Alpine:v3.19 musl 1.2.4-r2']);
      const accept = standIn.requests.find((r) => r.path.endsWith('/manifests/1.0'))!.accept!;
      for (const type of ['index.v1', 'manifest.list.v2', 'manifest.v1+json', 'manifest.v2+json']) expect(accept).toContain(type);
    }
  });

  it('scans only the configured platforms', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry();
    standIn.push('app', set.blobs, index, '1');
    const results = await readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), platforms: ['linux/arm64'], layerCache: null });
    expect(results.map((r) => r.ref.platform)).toEqual(['linux/arm64/v8']);
    expect(results[0].skipped.map((s) => s.platform)).toContain('linux/amd64');
  });

  it('reads by digest, and refuses a manifest whose bytes do not match the digest asked for', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry();
    standIn.push('app', set.blobs, index);
    const byDigest = await readImage(`${standIn.host}/app@${index.digest}`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
    expect(byDigest.map((r) => r.status)).toEqual(['scanned', 'scanned']);
    expect(byDigest[0].ref.tag).toBeNull();

    const client = new RegistryClient({ host: standIn.host, scheme: 'http' });
    const other = `sha256:${'0'.repeat(64)}`;
    standIn.push('forged', new Map([[other, set.blobs.get(index.digest)!]]), { digest: other, mediaType: index.mediaType });
    await expect(client.manifest('forged', other)).rejects.toThrow(/does not match its digest/);
  });

  it('gets a Bearer token from the challenge realm, reuses it, and never sends it to blob storage', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry({ auth: 'bearer', credentials: { username: 'robot', password: 's3cret-pass' }, redirectBlobs: true });
    standIn.push('team/app', set.blobs, index, '1');
    const results = await readImage(`${standIn.host}/team/app:1`, {
      registries: parseAllowedRegistries(`${standIn.host}=http`),
      credentials: staticCredentials({ [standIn.host]: { username: 'robot', password: 's3cret-pass' } }),
      layerCache: null,
    });
    expect(results.map((r) => r.status)).toEqual(['scanned', 'scanned']);
    const tokenRequests = standIn.requests.filter((r) => r.path.startsWith('/token'));
    expect(tokenRequests).toHaveLength(1);
    expect(new URL(tokenRequests[0].path, 'http://x').searchParams.get('scope')).toBe('repository:team/app:pull');
    expect(new URL(tokenRequests[0].path, 'http://x').searchParams.get('service')).toBe('stand-in');
    expect(standIn.requests.filter((r) => r.path.startsWith('/v2/') && r.authorization?.startsWith('Bearer '))).not.toHaveLength(0);
    expect(standIn.storageRequests.length).toBeGreaterThan(0);
    expect(standIn.storageRequests.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('takes anonymous tokens when no credentials are configured', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry({ auth: 'bearer' });
    standIn.push('app', set.blobs, index, '1');
    const results = await readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
    expect(results.map((r) => r.status)).toEqual(['scanned', 'scanned']);
    expect(standIn.requests.find((r) => r.path.startsWith('/token'))!.authorization).toBeUndefined();
  });

  it('answers a Basic challenge with the configured credentials, and reports refused ones without leaking them', async () => {
    const { set, index } = await multiPlatform();
    const standIn = await registry({ auth: 'basic', credentials: { username: 'AWS', password: 'right-password' } });
    standIn.push('app', set.blobs, index, '1');
    const ok = await readImage(`${standIn.host}/app:1`, {
      registries: parseAllowedRegistries(`${standIn.host}=http`),
      credentials: staticCredentials({ [standIn.host]: { username: 'AWS', password: 'right-password' } }),
      layerCache: null,
    });
    expect(ok.map((r) => r.status)).toEqual(['scanned', 'scanned']);

    const refused = readImage(`${standIn.host}/app:1`, {
      registries: parseAllowedRegistries(`${standIn.host}=http`),
      credentials: staticCredentials({ [standIn.host]: { username: 'AWS', password: 'wrong-password' } }),
      layerCache: null,
    });
    await expect(refused).rejects.toThrow(/refused access to app \(401\)/);
    await refused.catch((e: Error) => expect(`${e.message} ${e.stack}`).not.toMatch(/wrong-password|d3JvbmctcGFzc3dvcmQ/));
    await expect(readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null })).rejects.toThrow(/requires credentials and none are configured/);
  });

  it('fails one platform whose blob is missing or cut off, and still scans the other', async () => {
    const { set, index, amd64, arm64 } = await multiPlatform();
    const standIn = await registry();
    standIn.push('app', set.blobs, index, '1');
    standIn.deleteBlob('app', amd64.layers[0].digest);
    standIn.cutBlobs.add(arm64.layers[0].digest);
    const results = await readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0].status === 'failed' && results[0].error).toMatch(new RegExp(`blob ${amd64.layers[0].digest} of app not found on ${standIn.host}.*blob unknown`));
    expect(results[1].status === 'failed' && results[1].error).toMatch(/truncated|terminated|does not match|cannot reach/);

    const healthy = await multiPlatform();
    standIn.push('app2', healthy.set.blobs, healthy.index, '1');
    standIn.deleteBlob('app2', healthy.amd64.layers[0].digest);
    standIn.cutBlobs.clear();
    const partial = await readImage(`${standIn.host}/app2:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
    expect(partial.map((r) => r.status)).toEqual(['failed', 'scanned']);
  });

  it('verifies every blob from a registry against its digest', async () => {
    const set = new BlobSet();
    const image = await set.image([{ entries: [{ path: 'etc/hostname', content: 'original' }], compression: 'none' }]);
    const layer = image.layers[0];
    const blobs = new Map(set.blobs);
    const original = blobs.get(layer.digest)!;
    const tampered = Buffer.from(original);
    tampered.write('tampered', original.indexOf('original'));
    blobs.set(layer.digest, tampered);
    const standIn = await registry();
    standIn.push('app', blobs, image.manifest, '1');
    const [result] = await readImage(`${standIn.host}/app:1`, { registries: parseAllowedRegistries(`${standIn.host}=http`), layerCache: null });
    expect(result.status === 'failed' && result.error).toBe(`layer ${layer.digest} does not match its digest (corrupt or altered blob)`);
  });

  it('reports a missing tag as an error naming the manifest', async () => {
    const standIn = await registry();
    await expect(readImage(`${standIn.host}/app:nope`, { registries: parseAllowedRegistries(`${standIn.host}=http`) })).rejects.toThrow(/manifest app:nope not found .*manifest unknown/);
  });
});

describe('ECR', () => {
  beforeAll(() => {
    useMoto();
  });

  it('recognises ECR hosts', () => {
    expect(parseEcrHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({ accountId: '123456789012', region: 'eu-west-1' });
    expect(parseEcrHost('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com')).toEqual({ accountId: '123456789012', region: 'us-east-1' });
    expect(parseEcrHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io')).toBeNull();
    expect(parseEcrHost('ghcr.io')).toBeNull();
  });

  it('reads manifests with BatchGetImage and layers through the registry API with GetAuthorizationToken credentials', async () => {
    const region = 'eu-west-1';
    const client = new ECRClient({ region });
    const repository = `shipwatch-read-${Date.now()}`;
    const created = await client.send(new CreateRepositoryCommand({ repositoryName: repository }));
    const host = created.repository!.repositoryUri!.split('/')[0];
    const ecr = parseEcrHost(host)!;

    const set = new BlobSet();
    const image = await set.image([{ entries: [osRelease('amzn', '2023'), { path: 'etc/hostname', content: 'x' }] }], { docker: true });
    const manifestText = set.blobs.get(image.manifest.digest)!.toString('utf8');
    await client.send(new PutImageCommand({ repositoryName: repository, imageManifest: manifestText, imageTag: 'v1', imageManifestMediaType: image.manifest.mediaType }));

    const fetched = await ecrManifest(client, ecr, repository, 'v1');
    expect(fetched.bytes.toString('utf8')).toBe(manifestText);

    // moto serves no layers: the registry API for this ECR host is the stand-in, which demands the ECR password.
    const credentials = await ecrCredentials(() => client)(host);
    expect(credentials?.username).toBe('AWS');
    expect(await ecrCredentials(() => client)('ghcr.io')).toBeNull();
    const standIn = await registry({ auth: 'basic', credentials: credentials! });
    standIn.push(repository, set.blobs, image.manifest);
    const results = await readImage(`${host}/${repository}:v1`, {
      registries: parseAllowedRegistries(host),
      ecr: () => client,
      mirrors: { [host]: `http://${standIn.host}` },
      layerCache: null,
    });
    expect(results).toHaveLength(1);
    expect(results[0].status).toBe('scanned');
    expect((results[0] as ScannedImage).analysis.os).toMatchObject({ id: 'amzn', versionId: '2023' });
    expect(standIn.requests.filter((r) => r.path.includes('/manifests/'))).toEqual([]);
    expect(standIn.requests.some((r) => r.path.includes('/blobs/') && r.authorization?.startsWith('Basic '))).toBe(true);
  });

  it('names the missing image when BatchGetImage finds nothing', async () => {
    const client = new ECRClient({ region: 'eu-west-1' });
    const repository = `shipwatch-missing-${Date.now()}`;
    const created = await client.send(new CreateRepositoryCommand({ repositoryName: repository }));
    const ecr = parseEcrHost(created.repository!.repositoryUri!.split('/')[0])!;
    await expect(ecrManifest(client, ecr, repository, 'nope')).rejects.toThrow(new RegExp(`manifest ${repository}:nope not found in ECR`));
  });
});
