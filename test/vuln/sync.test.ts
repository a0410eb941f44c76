// The vulndb sync end to end: OSV exports from a local stand-in for the OSV bucket, written to S3
// (moto), then read back by the scanner's loader from the s3:// URI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVulnDb } from '../../shared/vuln/index-db.ts';
import { matchPackages } from '../../shared/vuln/match.ts';
import { S3VulnDataStore } from '../../shared/vuln/s3-store.ts';
import { exportUrl, parseEcosystemList, syncVulnDb } from '../../shared/vuln/sync.ts';
import { useMoto } from '../support/aws.ts';
import { HttpStandIn, type Reply } from '../support/http-stand-in.ts';
import { writeZip } from '../support/zip.ts';
import { installed, OSV_FIXTURES } from './helpers.ts';

const fixture = (...path: string[]) => readFileSync(join(OSV_FIXTURES, ...path));
const EXPORTS: Record<string, { zip: Buffer; etag: string }> = {
  Debian: {
    zip: writeZip(readdirSync(join(OSV_FIXTURES, 'debian')).map((name) => ({ name, content: fixture('debian', name) }))),
    etag: '"debian-1"',
  },
  npm: { zip: writeZip([{ name: 'GHSA-f1x7-0001-aaaa.json', content: fixture('ghsa', 'GHSA-f1x7-0001-aaaa.json') }]), etag: '"npm-1"' },
  PyPI: { zip: writeZip([{ name: 'GHSA-f1x7-0002-bbbb.json', content: fixture('ghsa', 'GHSA-f1x7-0002-bbbb.json') }], { zip64: true }), etag: '"pypi-1"' },
  'Red Hat': { zip: writeZip([{ name: 'RHSA-2099:5001.json', content: fixture('rhsa-openssl.json') }]), etag: '"rh-1"' },
};

const osv = new HttpStandIn({
  'GET /:ecosystem/all.zip': ({ params, headers }): Reply => {
    const found = EXPORTS[params.ecosystem];
    if (!found) return { status: 404, body: '<Error><Code>NoSuchKey</Code></Error>', headers: { 'content-type': 'application/xml' } };
    if (headers['if-none-match'] === found.etag) return { status: 304 };
    return { status: 200, body: found.zip, headers: { 'content-type': 'application/zip', etag: found.etag, 'last-modified': 'Sat, 01 Mar 2099 00:00:00 GMT' } };
  },
});
const ROUTE = 'GET /:ecosystem/all.zip';
const bucket = `shipwatch-vulndb-${Date.now()}`;
let s3: S3Client;

beforeAll(async () => {
  useMoto();
  await osv.start();
  s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  await osv.stop();
});

const day = (n: number) => new Date(Date.parse('2099-03-01T00:00:00Z') + n * 86_400_000);
const PACKAGES = [
  installed('Debian:12', 'libssl3', '3.0.11-1~deb12u1', { name: 'openssl' }),
  installed('npm', 'lodash', '4.17.20'),
  installed('PyPI', 'django', '4.2.7'),
];

describe('vulndb sync', () => {
  const store = () => new S3VulnDataStore({ bucket, prefix: '' });
  const location = `s3://${bucket}/index/`;

  it('downloads each export, keeps it, builds the index in S3; an export that is missing or fails does not stop the others', async () => {
    osv.failNext(ROUTE, 1, 503); // the first ecosystem asked for (PyPI) fails once
    const result = await syncVulnDb({ store: store(), ecosystems: ['PyPI', 'Debian', 'npm', 'Amazon Linux'], baseUrl: osv.url, now: () => day(0) });
    expect(result.ecosystems).toEqual([
      { ecosystem: 'PyPI', status: 'failed', reason: expect.stringMatching(/HTTP 503/) },
      { ecosystem: 'Debian', status: 'updated', records: 2, packages: 2, bytes: EXPORTS.Debian.zip.length },
      { ecosystem: 'npm', status: 'updated', records: 1, packages: 1, bytes: EXPORTS.npm.zip.length },
      { ecosystem: 'Amazon Linux', status: 'unavailable', reason: expect.stringMatching(/HTTP 404/) },
    ]);
    expect(Object.keys(result.manifest.ecosystems).sort()).toEqual(['Debian', 'npm']);
    expect(result.manifest.ecosystems.Debian.source).toEqual({ url: exportUrl(osv.url, 'Debian'), etag: '"debian-1"', lastModified: 'Sat, 01 Mar 2099 00:00:00 GMT' });

    const raw = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'osv/Debian/all.zip' }));
    expect(Buffer.from(await raw.Body!.transformToByteArray()).equals(EXPORTS.Debian.zip)).toBe(true);

    const db = await openVulnDb(location, day(0).getTime());
    expect(db.info).toMatchObject({ kind: 'index', location, dataVersion: result.manifest.dataVersion, ecosystems: ['Debian', 'npm'] });
    const outcome = await matchPackages(db, PACKAGES);
    expect(outcome.matches.map((m) => m.id).sort()).toEqual(['DEBIAN-CVE-2099-1001', 'GHSA-f1x7-0001-aaaa']);
    expect(outcome.missingData).toEqual(['PyPI']);
  });

  it('fetches again only what changed upstream, and the scanner picks up the new data version', async () => {
    const before = osv.requests.length;
    const result = await syncVulnDb({ store: store(), ecosystems: ['PyPI', 'Debian', 'npm'], baseUrl: osv.url, now: () => day(1) });
    expect(result.ecosystems.map((e) => [e.ecosystem, e.status])).toEqual([
      ['PyPI', 'updated'],
      ['Debian', 'unchanged'],
      ['npm', 'unchanged'],
    ]);
    const asked = osv.requests.slice(before);
    expect(asked.find((r) => r.path === '/Debian/all.zip')?.headers['if-none-match']).toBe('"debian-1"');
    expect(result.manifest.ecosystems.Debian.updatedAt).toBe(day(1).toISOString());

    // A warm Lambda keeps its copy for a few minutes, then sees the new manifest.
    const cached = await openVulnDb(location, day(0).getTime() + 60_000);
    expect(cached.info.ecosystems).toEqual(['Debian', 'npm']);
    const fresh = await openVulnDb(location, day(0).getTime() + 10 * 60_000);
    expect(fresh.info.dataVersion).toBe(result.manifest.dataVersion);
    expect((await matchPackages(fresh, PACKAGES)).matches.map((m) => m.id).sort()).toEqual([
      'DEBIAN-CVE-2099-1001',
      'GHSA-f1x7-0001-aaaa',
      'GHSA-f1x7-0002-bbbb',
    ]);
  });

  it('an ecosystem that keeps failing keeps its old index, and the data turns stale', async () => {
    osv.failNext(ROUTE, 1, 500); // Debian, asked first
    const result = await syncVulnDb({ store: store(), ecosystems: ['Debian', 'npm', 'PyPI'], baseUrl: osv.url, now: () => day(10) });
    expect(result.ecosystems.map((e) => e.status)).toEqual(['failed', 'unchanged', 'unchanged']);
    expect(result.manifest.ecosystems.Debian.updatedAt).toBe(day(1).toISOString());
    const db = await openVulnDb(location, day(10).getTime());
    expect(db.ageDays(day(10))).toBe(9);
    expect(db.isStale(7, day(10))).toBe(true);
    expect((await matchPackages(db, PACKAGES.slice(0, 1))).matches).toHaveLength(1);
  });

  it('reads its ecosystem list from SHIPWATCH_OSV_ECOSYSTEMS, with the documented default', () => {
    expect(parseEcosystemList(' Debian, Red Hat ,,Debian')).toEqual(['Debian', 'Red Hat']);
    expect(parseEcosystemList(undefined)).toEqual(['Debian', 'Ubuntu', 'Alpine', 'Red Hat', 'Rocky Linux', 'Amazon Linux', 'npm', 'PyPI', 'Go', 'Maven']);
    expect(exportUrl('https://osv.example/', 'Red Hat')).toBe('https://osv.example/Red%20Hat/all.zip');
  });
});

describe('vulndb-sync handler', () => {
  const context = { functionName: 'vulndb-sync', awsRequestId: 'req', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:vulndb-sync', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
  const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

  it('syncs the configured ecosystems into the bucket and fails when one of them failed', async () => {
    const handlerBucket = `${bucket}-handler`;
    await s3.send(new CreateBucketCommand({ Bucket: handlerBucket }));
    Object.assign(process.env, { SHIPWATCH_VULN_BUCKET: handlerBucket, SHIPWATCH_OSV_BASE_URL: osv.url, SHIPWATCH_OSV_ECOSYSTEMS: 'Red Hat,npm' });
    const { handler } = await import('../../functions/vulndb-sync/handler.ts');
    const out = (await handler(scheduled as never, context)) as { dataVersion: string; ecosystems: { ecosystem: string; status: string }[] };
    expect(out.ecosystems.map((e) => [e.ecosystem, e.status])).toEqual([
      ['Red Hat', 'updated'],
      ['npm', 'updated'],
    ]);
    const db = await openVulnDb(`s3://${handlerBucket}/index/`);
    expect(db.info.ecosystems).toEqual(['Red Hat', 'npm']);
    expect((await matchPackages(db, [installed('Red Hat:9', 'openssl-libs', '1:3.0.7-24.el9')])).matches.map((m) => m.id)).toEqual(['RHSA-2099:5001']);

    osv.failNext(ROUTE, 1, 502);
    await expect(handler(scheduled as never, context)).rejects.toThrow(/vulndb sync failed for Red Hat/);
  });
});
