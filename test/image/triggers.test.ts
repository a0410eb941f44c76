import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllowedRegistries } from '../../shared/image/registry/allowlist.ts';
import { parseImageScanJob, type ImageScanJob } from '../../shared/image/triggers/job.ts';
import { handleRegistryEvent, handleRegistryWebhook, type RegistryEventDeps } from '../../shared/image/triggers/registry-event.ts';
import { fromEnhancedFinding, type RegistryScanTarget } from '../../shared/image/triggers/registry-findings.ts';
import { LocalDeliveryLog } from '../../shared/store/local.ts';

const TOKEN = 'registry-notification-token-0123456789';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CHILD_DIGEST = `sha256:${'cd'.repeat(32)}`;
const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

async function harness(options: { token?: string } = {}) {
  const queued: ImageScanJob[] = [];
  const logs: { message: string; fields?: Record<string, unknown> }[] = [];
  const ingested: RegistryScanTarget[] = [];
  const deps: RegistryEventDeps = {
    token: async () => ('token' in options ? options.token : TOKEN),
    allowed: parseAllowedRegistries(`127.0.0.1:5000=http,harbor.example.com,${ECR_HOST}`),
    deliveries: await LocalDeliveryLog.open({ dir: null }),
    queue: { send: async (job) => void queued.push(job) },
    ingest: async (target) => {
      ingested.push(target);
      return { ingested: 2, duplicates: 1 };
    },
    log: (message, fields) => void logs.push({ message, fields }),
  };
  return { deps, queued, logs, ingested };
}

/** A Distribution notification envelope as docker-registry 2.8 sends it (blob pushes, then the manifest). */
function distributionEnvelope(overrides: { host?: string; tag?: string | null; id?: string } = {}) {
  const host = overrides.host ?? '127.0.0.1:5000';
  const manifestTarget = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 1187,
    digest: DIGEST,
    length: 1187,
    repository: 'team/web',
    url: `http://${host}/v2/team/web/manifests/${DIGEST}`,
    ...(overrides.tag === null ? {} : { tag: overrides.tag ?? '1.4.2' }),
  };
  return {
    events: [
      {
        id: 'f3b5a0f6-blob',
        timestamp: '2026-03-01T10:00:00.000Z',
        action: 'push',
        target: { mediaType: 'application/octet-stream', size: 1048576, digest: CHILD_DIGEST, length: 1048576, repository: 'team/web', url: `http://${host}/v2/team/web/blobs/${CHILD_DIGEST}` },
        request: { id: 'r1', addr: '127.0.0.1:41234', host, method: 'PUT', useragent: 'skopeo/1.9.3' },
        actor: {},
        source: { addr: 'registry:5000', instanceID: 'i-1' },
      },
      {
        id: overrides.id ?? 'a7c3e9d2-manifest',
        timestamp: '2026-03-01T10:00:01.000Z',
        action: 'push',
        target: manifestTarget,
        request: { id: 'r2', addr: '127.0.0.1:41234', host, method: 'PUT', useragent: 'skopeo/1.9.3' },
        actor: {},
        source: { addr: 'registry:5000', instanceID: 'i-1' },
      },
      {
        id: 'b1d0c2aa-pull',
        timestamp: '2026-03-01T10:00:02.000Z',
        action: 'pull',
        target: { ...manifestTarget },
        request: { id: 'r3', addr: '127.0.0.1:41235', host, method: 'GET', useragent: 'containerd/1.7' },
        actor: {},
        source: { addr: 'registry:5000', instanceID: 'i-1' },
      },
    ],
  };
}

const distribution = (body: unknown, token = TOKEN) => ({
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
  body: JSON.stringify(body),
});

/** Harbor's PUSH_ARTIFACT webhook payload. */
const harborPush = (host = 'harbor.example.com') => ({
  type: 'PUSH_ARTIFACT',
  occur_at: 1772359200,
  operator: 'ci-robot',
  event_data: {
    resources: [{ digest: DIGEST, tag: 'v2.0.1', resource_url: `${host}/library/api:v2.0.1` }],
    repository: { date_created: 1772000000, name: 'api', namespace: 'library', repo_full_name: 'library/api', repo_type: 'private' },
  },
});

const ecrEvent = (detailType: string, detail: Record<string, unknown>, account = '123456789012') => ({
  version: '0',
  id: `evt-${detailType.replace(/\s/g, '-')}-${JSON.stringify(detail).length}`,
  'detail-type': detailType,
  source: detailType.startsWith('Inspector2') ? 'aws.inspector2' : 'aws.ecr',
  account,
  time: '2026-03-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

describe('POST /webhooks/registry: Distribution notifications', () => {
  it('queues the tagged manifest push by digest and ignores blob pushes and pulls', async () => {
    const { deps, queued } = await harness();
    const out = await handleRegistryWebhook(distribution(distributionEnvelope()), deps);
    expect(out.statusCode).toBe(202);
    expect(out.body.queued).toBe(1);
    expect(out.body.ignored).toEqual(['push of application/octet-stream ignored (not a manifest)', 'pull event ignored']);
    expect(queued).toEqual([
      { type: 'image-scan', provider: 'distribution', registry: '127.0.0.1:5000', repository: 'team/web', tag: '1.4.2', digest: DIGEST, pushedAt: '2026-03-01T10:00:01.000Z', deliveryId: 'distribution:a7c3e9d2-manifest' },
    ]);
    // The job survives the queue's JSON round trip and its schema.
    expect(parseImageScanJob(JSON.stringify(queued[0]))).toEqual(queued[0]);
  });

  it('refuses a wrong or missing bearer token with 401 and queues nothing', async () => {
    const { deps, queued } = await harness();
    expect((await handleRegistryWebhook(distribution(distributionEnvelope(), 'not-the-token'), deps)).statusCode).toBe(401);
    expect((await handleRegistryWebhook({ headers: {}, body: JSON.stringify(distributionEnvelope()) }, deps)).statusCode).toBe(401);
    const unconfigured = await harness({ token: undefined });
    expect((await handleRegistryWebhook(distribution(distributionEnvelope()), unconfigured.deps)).statusCode).toBe(401);
    expect(queued).toEqual([]);
  });

  it('refuses a forged event naming a registry outside SHIPWATCH_REGISTRIES, with a logged reason (SSRF guard)', async () => {
    const { deps, queued, logs } = await harness();
    const out = await handleRegistryWebhook(distribution(distributionEnvelope({ host: '169.254.169.254' })), deps);
    expect(out.statusCode).toBe(200);
    expect(out.body.queued).toBe(0);
    expect(out.body.refused).toEqual([expect.stringContaining('"169.254.169.254" is not in SHIPWATCH_REGISTRIES')]);
    expect(queued).toEqual([]);
    expect(logs).toContainEqual({ message: 'refused registry event', fields: { reason: expect.stringContaining('169.254.169.254') } });
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('ignores an untagged manifest push (a platform manifest of an index)', async () => {
    const { deps, queued } = await harness();
    const out = await handleRegistryWebhook(distribution(distributionEnvelope({ tag: null })), deps);
    expect(out.body.ignored[1]).toMatch(/^untagged manifest push team\/web@sha256:/);
    expect(queued).toEqual([]);
  });

  it('queues a redelivered notification once', async () => {
    const { deps, queued } = await harness();
    await handleRegistryWebhook(distribution(distributionEnvelope()), deps);
    const again = await handleRegistryWebhook(distribution(distributionEnvelope()), deps);
    expect(again.body).toMatchObject({ queued: 0, duplicates: 1, message: 'duplicate delivery, already queued' });
    expect(queued).toHaveLength(1);
  });

  it('forgets a delivery whose enqueue failed, so the registry retry is queued', async () => {
    const { deps, queued } = await harness();
    const failing = { ...deps, queue: { send: async () => Promise.reject(new Error('queue unavailable')) } };
    await expect(handleRegistryWebhook(distribution(distributionEnvelope()), failing)).rejects.toThrow('queue unavailable');
    expect((await handleRegistryWebhook(distribution(distributionEnvelope()), deps)).body.queued).toBe(1);
    expect(queued).toHaveLength(1);
  });

  it('answers 400 to a body that is not JSON or not a known envelope', async () => {
    const { deps } = await harness();
    expect((await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}` }, body: '{nope' }, deps)).statusCode).toBe(400);
    expect((await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}` }, body: '{"hello":"world"}' }, deps)).statusCode).toBe(400);
  });
});

describe('POST /webhooks/registry: Harbor', () => {
  it('queues a PUSH_ARTIFACT resource of an allowed Harbor', async () => {
    const { deps, queued } = await harness();
    const out = await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(harborPush()) }, deps);
    expect(out.statusCode).toBe(202);
    expect(queued).toEqual([expect.objectContaining({ provider: 'harbor', registry: 'harbor.example.com', repository: 'library/api', tag: 'v2.0.1', digest: DIGEST, pushedAt: '2026-03-01T10:00:00.000Z' })]);
  });

  it('ignores other Harbor events and refuses a Harbor outside the allowlist', async () => {
    const { deps, queued } = await harness();
    const pull = await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ ...harborPush(), type: 'PULL_ARTIFACT' }) }, deps);
    expect(pull.body.ignored).toEqual(['Harbor PULL_ARTIFACT event ignored']);
    const forged = await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(harborPush('internal.corp:8443')) }, deps);
    expect(forged.body.refused).toHaveLength(1);
    expect(queued).toEqual([]);
  });
});

describe('EventBridge events', () => {
  it('queues an ECR push (PUSH, SUCCESS) by digest under the deployment registry', async () => {
    const { deps, queued } = await harness();
    const event = ecrEvent('ECR Image Action', { result: 'SUCCESS', 'repository-name': 'payments/api', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': '2026.03.01' });
    const out = await handleRegistryEvent(event, deps);
    expect(out.body.queued).toBe(1);
    expect(queued[0]).toMatchObject({ provider: 'ecr', registry: ECR_HOST, repository: 'payments/api', tag: '2026.03.01', digest: DIGEST, pushedAt: '2026-03-01T10:00:00.000Z' });
  });

  it('ignores failed pushes and deletes, and refuses an event of another account', async () => {
    const { deps, queued } = await harness();
    const failed = await handleRegistryEvent(ecrEvent('ECR Image Action', { result: 'FAILURE', 'repository-name': 'a', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': 'x' }), deps);
    expect(failed.body.ignored).toEqual(['ECR push with result FAILURE ignored']);
    const deleted = await handleRegistryEvent(ecrEvent('ECR Image Action', { result: 'SUCCESS', 'repository-name': 'a', 'image-digest': DIGEST, 'action-type': 'DELETE', 'image-tag': 'x' }), deps);
    expect(deleted.body.ignored).toEqual(['ECR DELETE action ignored']);
    const foreign = await handleRegistryEvent(ecrEvent('ECR Image Action', { result: 'SUCCESS', 'repository-name': 'a', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': 'x' }, '999999999999'), deps);
    expect(foreign.body.refused).toEqual([expect.stringContaining('999999999999.dkr.ecr.eu-west-1.amazonaws.com')]);
    expect(queued).toEqual([]);
  });

  it('hands ECR scan and Inspector finding events of an allowed registry to ingestion', async () => {
    const { deps, ingested } = await harness();
    const scan = await handleRegistryEvent(ecrEvent('ECR Image Scan', { 'scan-status': 'COMPLETE', 'repository-name': 'payments/api', 'image-digest': DIGEST, 'image-tags': ['2026.03.01'], 'finding-severity-counts': { HIGH: 1 } }), deps);
    expect(scan.body).toMatchObject({ ingested: 2, duplicates: 1 });
    const inspector = await handleRegistryEvent(
      ecrEvent('Inspector2 Finding', {
        awsAccountId: '123456789012',
        severity: 'HIGH',
        status: 'ACTIVE',
        type: 'PACKAGE_VULNERABILITY',
        resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', id: `arn:aws:ecr:eu-west-1:123456789012:repository/payments/api/${DIGEST}`, details: { awsEcrContainerImage: { registry: '123456789012', repositoryName: 'payments/api', imageHash: DIGEST, imageTags: ['2026.03.01'] } } }],
      }),
      deps,
    );
    expect(inspector.body.ingested).toBe(2);
    expect(ingested).toEqual([
      { registry: ECR_HOST, repository: 'payments/api', digest: DIGEST, tags: ['2026.03.01'], scanner: 'ecr-basic' },
      { registry: ECR_HOST, repository: 'payments/api', digest: DIGEST, tags: ['2026.03.01'], scanner: 'inspector' },
    ]);
    const running = await handleRegistryEvent(ecrEvent('ECR Image Scan', { 'scan-status': 'IN_PROGRESS', 'repository-name': 'payments/api', 'image-digest': DIGEST }), deps);
    expect(running.body.ingested).toBeUndefined();
    expect(ingested).toHaveLength(2);
  });

  it('ignores events it does not know', async () => {
    const { deps } = await harness();
    expect((await handleRegistryEvent({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} }, deps)).body.ignored).toEqual(['not a registry event']);
  });
});

describe('image jobs', () => {
  it('reject poison messages', () => {
    expect(() => parseImageScanJob('nope')).toThrow('image job is not JSON');
    expect(() => parseImageScanJob(JSON.stringify({ type: 'image-scan', provider: 'ecr', registry: 'r', repository: 'a', tag: 't', digest: 'sha256:short', pushedAt: '2026-01-01T00:00:00Z', deliveryId: 'x' }))).toThrow(/digest/);
  });
});

describe('the sample events under events/', () => {
  const sample = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'events', name), 'utf8');

  it('are what the handlers expect', async () => {
    const { deps, queued, ingested } = await harness();
    const allowed = { ...deps, allowed: parseAllowedRegistries('registry.example.internal:5000,harbor.example.com,123456789012.dkr.ecr.eu-west-1.amazonaws.com') };
    const distributionOut = await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/vnd.docker.distribution.events.v1+json' }, body: sample('distribution-push.json') }, allowed);
    expect(distributionOut.body).toMatchObject({ queued: 1, ignored: ['push of application/octet-stream ignored (not a manifest)'] });
    await handleRegistryWebhook({ headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: sample('harbor-push-artifact.json') }, allowed);
    await handleRegistryEvent(JSON.parse(sample('ecr-image-push.json')), allowed);
    expect(queued.map((j) => `${j.provider} ${j.registry}/${j.repository}:${j.tag}`)).toEqual([
      'distribution registry.example.internal:5000/team/web:1.4.2',
      'harbor harbor.example.com/library/api:v2.0.1',
      'ecr 123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api:2026.03.01-1',
    ]);
    await handleRegistryEvent(JSON.parse(sample('ecr-image-scan.json')), allowed);
    await handleRegistryEvent(JSON.parse(sample('inspector2-finding.json')), allowed);
    expect(ingested.map((t) => t.scanner)).toEqual(['ecr-basic', 'inspector']);
    expect(fromEnhancedFinding(JSON.parse(sample('inspector2-finding.json')).detail)).toEqual([expect.objectContaining({ id: 'CVE-2026-10001', package: 'openssl', version: '3.0.11-1~deb12u2' })]);
  });
});
