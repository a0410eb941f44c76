// The deployed image pipeline with the real Lambda handlers against moto (DynamoDB, SQS, Secrets
// Manager, ECR) and a real registry: registry-event -> SQS image-jobs -> image-scan -> findings
// table; ECR scan events ingested through DescribeImageScanFindings; ECR manifests from BatchGetImage
// with the layers through the registry client (moto serves no layers).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../shared/findings/finding.ts';
import { scanImage } from '../../shared/image/scan.ts';
import { createQueueWithDeadLetter } from '../../shared/queue/sqs.ts';
import { createFindingsTable, DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { ALNUM, BASE64, fake } from '../secrets/fixtures.ts';
import { useMoto } from '../support/aws.ts';
import { writeOciLayout, type ImageSpec } from './checks/build-image.ts';
import { startRegistry, type LocalRegistry } from './checks/local-registry.ts';

const TOKEN = fake(ALNUM, 40, 5);
const ACCOUNT = '123456789012';
const ECR_HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const context = { functionName: 'test', awsRequestId: 'req', invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:test`, getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

const IMAGE: ImageSpec = {
  created: new Date().toISOString(),
  config: { User: '10001' },
  layers: [
    {
      createdBy: '/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 in / ',
      files: {
        'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
        'var/lib/dpkg/status': 'Package: openssl\nStatus: install ok installed\nArchitecture: arm64\nVersion: 3.0.11-1~deb12u2\n',
        'root/.ssh/id_ed25519': `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake(BASE64, 64, 8)}\n${fake(BASE64, 40, 9)}\n-----END OPENSSH PRIVATE KEY-----\n`,
      },
    },
    { createdBy: 'RUN /bin/sh -c rm /root/.ssh/id_ed25519 # buildkit', delete: ['root/.ssh/id_ed25519'] },
  ],
};

let registry: LocalRegistry;
let sqs: SQSClient;
let queueUrl: string;
let store: DynamoFindingStore;
let ecr: ECRClient;
const savedEnv: Record<string, string | undefined> = {};
let handlers: {
  registryEvent: (e: unknown, c: Context) => Promise<{ statusCode?: number; body?: string; queued?: number; ingested?: number; duplicates?: number; refused?: string[] }>;
  imageScan: (e: SQSEvent, c: Context) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
};

function vulnData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipwatch-lambda-osv-'));
  const file = join(dir, 'DSA-9201-1.json');
  writeFileSync(file, JSON.stringify({ id: 'DSA-9201-1', modified: '2026-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.15-1~deb12u1' }] }] }] }));
  utimesSync(file, new Date(), new Date());
  return dir;
}

const apiEvent = (body: string, token = TOKEN): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /webhooks/registry',
    rawPath: '/webhooks/registry',
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
    requestContext: { http: { method: 'POST', path: '/webhooks/registry' } } as never,
    body,
    isBase64Encoded: false,
  }) as APIGatewayProxyEventV2;

/** The digest the registry stored the tag's manifest under. */
async function registryDigest(repository: string, tag: string): Promise<string> {
  const res = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  return res.headers.get('docker-content-digest')!;
}

/** Lambda's SQS event source, once: receive, hand the batch to image-scan, delete what succeeded. */
async function drainImageJobs(): Promise<number> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
  if (Messages.length === 0) return 0;
  const event = { Records: Messages.map((m) => ({ messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:image-jobs', awsRegion: 'us-east-1' })) } as unknown as SQSEvent;
  const result = await handlers.imageScan(event, context);
  expect(result.batchItemFailures).toEqual([]);
  for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  return Messages.length;
}

beforeAll(async () => {
  useMoto();
  const suffix = randomUUID().slice(0, 8);
  const tableName = `image-findings-${suffix}`;
  await createFindingsTable(new DynamoDBClient({}), tableName);
  store = new DynamoFindingStore({ tableName });
  sqs = new SQSClient({});
  ({ queueUrl } = await createQueueWithDeadLetter(sqs, `image-jobs-${suffix}`, { maxReceiveCount: 3 }));
  const token = await new SecretsManagerClient({}).send(new CreateSecretCommand({ Name: `registry-token-${suffix}`, SecretString: TOKEN }));
  ecr = new ECRClient({});
  registry = await startRegistry();
  const settings = {
    SHIPWATCH_TABLE_NAME: tableName,
    SHIPWATCH_IMAGE_QUEUE_URL: queueUrl,
    SHIPWATCH_REGISTRY_TOKEN_SECRET_ARN: token.ARN!,
    SHIPWATCH_REGISTRIES: `${registry.host}=http,${ECR_HOST}`,
    SHIPWATCH_VULN_DB: vulnData(),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const key of Object.keys(settings)) savedEnv[key] = process.env[key];
  Object.assign(process.env, settings);
  handlers = {
    registryEvent: (await import('../../functions/registry-event/handler.ts')).handler as never,
    imageScan: (await import('../../functions/image-scan/handler.ts')).handler as never,
  };
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  // The handlers read their settings when imported; later test files in this worker get the old environment back.
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('Lambda handlers: registry-event -> image-jobs -> image-scan -> findings table', () => {
  it('a Distribution notification is queued, scanned by digest and written to DynamoDB', async () => {
    const { dir } = await writeOciLayout(IMAGE, { tag: '2.1' });
    registry.push(dir, 'team/api:2.1');
    const digest = await registryDigest('team/api', '2.1');
    const envelope = { events: [{ id: randomUUID(), timestamp: new Date().toISOString(), action: 'push', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, repository: 'team/api', tag: '2.1', url: `http://${registry.host}/v2/team/api/manifests/${digest}` }, request: { host: registry.host } }] };

    expect((await handlers.registryEvent(apiEvent(JSON.stringify(envelope), 'wrong-token'), context)).statusCode).toBe(401);
    const accepted = await handlers.registryEvent(apiEvent(JSON.stringify(envelope)), context);
    expect(accepted.statusCode).toBe(202);
    expect(JSON.parse(accepted.body!)).toMatchObject({ queued: 1 });
    expect(await drainImageJobs()).toBe(1);

    const { items } = await store.query({ image: `${registry.host}/team/api`, source: 'image' });
    const byRule = new Map(items.map((f) => [f.ruleId, f]));
    expect(byRule.get('IMG-045')).toMatchObject({ severity: 'critical', status: 'open', scope: { image: `${registry.host}/team/api`, ref: '2.1' }, image: expect.objectContaining({ digest, tag: '2.1' }) });
    expect(byRule.get('IMG-080')?.vulnerability).toMatchObject({ id: 'DSA-9201-1', package: 'openssl', fixedVersion: '3.0.15-1~deb12u1' });
  }, 120_000);

  it('an ECR scan event is ingested from DescribeImageScanFindings as registry findings, without duplicating ours', async () => {
    const repository = `team/scanned-${randomUUID().slice(0, 6)}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 }, layers: [] });
    const put = await ecr.send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json', imageTag: 'v1' }));
    const digest = put.image!.imageId!.imageDigest!;
    await ecr.send(new StartImageScanCommand({ repositoryName: repository, imageId: { imageDigest: digest } }));
    const scanEvent = (account = ACCOUNT) => ({ version: '0', id: randomUUID(), 'detail-type': 'ECR Image Scan', source: 'aws.ecr', account, time: new Date().toISOString(), region: 'us-east-1', resources: [], detail: { 'scan-status': 'COMPLETE', 'repository-name': repository, 'image-digest': digest, 'image-tags': ['v1'], 'finding-severity-counts': { HIGH: 1 } } });

    const first = await handlers.registryEvent(scanEvent(), context);
    expect(first).toMatchObject({ ingested: 1, duplicates: 0 });
    const { items } = await store.query({ image: `${ECR_HOST}/${repository}`, source: 'registry' });
    expect(items).toEqual([
      expect.objectContaining({
        ruleId: 'IMG-083',
        source: 'registry',
        severity: 'high',
        scope: { image: `${ECR_HOST}/${repository}`, ref: 'v1' },
        vulnerability: expect.objectContaining({ id: 'CVE-9999-9999', package: 'moto_fake', installedVersion: '9.9.9' }),
        image: expect.objectContaining({ registry: ECR_HOST, repository, digest, tag: 'v1', scanner: 'ecr-basic' }),
      }),
    ]);

    // Our own scan reported the same (vulnerability, package, version) for this digest: the registry's copy is dropped.
    const other = `team/ours-${randomUUID().slice(0, 6)}`;
    await ecr.send(new CreateRepositoryCommand({ repositoryName: other }));
    const ours = await ecr.send(new PutImageCommand({ repositoryName: other, imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json', imageTag: 'v1' }));
    const ourDigest = ours.image!.imageId!.imageDigest!;
    await ecr.send(new StartImageScanCommand({ repositoryName: other, imageId: { imageDigest: ourDigest } }));
    const image = `${ECR_HOST}/${other}`;
    await store.applyScan({ image, ref: 'v1' }, [
      {
        ruleId: 'IMG-080', severity: 'high', title: 'Vulnerable OS package', message: 'CVE-9999-9999 in moto_fake 9.9.9', remediation: 'upgrade', source: 'image',
        fingerprint: fingerprint({ ruleId: 'IMG-080', target: image, field: 'vuln:CVE-9999-9999:moto_fake' }),
        location: null, resource: null, container: null, compliance: [], suppressed: false, suppression: null,
        image: { registry: ECR_HOST, repository: other, tag: 'v1', digest: ourDigest, platform: 'linux/amd64' },
        vulnerability: { id: 'CVE-9999-9999', aliases: [], package: 'moto_fake', installedVersion: '9.9.9', fixedVersion: null, ecosystem: 'Debian:12', fixAvailable: false },
      },
    ], { at: new Date().toISOString(), commit: ourDigest, summary: { critical: 0, high: 1, medium: 0, low: 0, info: 0 }, trigger: 'test' });
    const deduped = await handlers.registryEvent({ ...scanEvent(), detail: { ...scanEvent().detail, 'repository-name': other, 'image-digest': ourDigest } }, context);
    expect(deduped).toMatchObject({ ingested: 0, duplicates: 1 });

    // An event naming another account's registry is refused before any AWS call.
    expect(await handlers.registryEvent(scanEvent('999999999999'), context)).toMatchObject({ refused: [expect.stringContaining('999999999999.dkr.ecr.us-east-1.amazonaws.com')] });
  }, 60_000);

  it('an ECR image is read with BatchGetImage (moto) and its layers through the registry client', async () => {
    const repository = `team/pulled-${randomUUID().slice(0, 6)}`;
    const { dir, images } = await writeOciLayout(IMAGE, { tag: '3.0' });
    registry.push(dir, `${repository}:3.0`);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository }));
    await ecr.send(new PutImageCommand({ repositoryName: repository, imageManifest: images[0].manifest.toString('utf8'), imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json', imageTag: '3.0' }));
    const result = await scanImage(`${ECR_HOST}/${repository}:3.0`, {
      registries: [{ host: ECR_HOST, scheme: 'https' }],
      ecr: () => ecr,
      // moto serves no layers: the same blobs come from the local registry, through the same client.
      mirrors: { [ECR_HOST]: `http://${registry.host}` },
      layerCache: null,
    });
    expect(result.errors).toEqual([]);
    expect(result.platforms.map((p) => [p.status, p.ref.registry, p.ref.repository])).toEqual([['scanned', ECR_HOST, repository]]);
    expect(result.findings.find((f) => f.ruleId === 'IMG-045')).toMatchObject({ location: { file: '/root/.ssh/id_ed25519', line: 1 }, image: expect.objectContaining({ registry: ECR_HOST, tag: '3.0' }) });
  }, 60_000);
});
