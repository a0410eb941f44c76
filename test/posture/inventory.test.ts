import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleFindingsRequest } from '../../shared/pipeline/findings-api.ts';
import type { ClusterInventoryItem } from '../../shared/posture/inventory.ts';
import { LocalInventoryStore } from '../../shared/posture/inventory-local.ts';
import { runPostureScan, type PostureSource } from '../../shared/posture/scan.ts';
import type { RegionSnapshot } from '../../shared/posture/live.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { startServer } from '../../shared/server/serve.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'shipwatch-inventory-'));
  dirs.push(d);
  return d;
};

const item = (account: string, region: string, name: string, connected: boolean): ClusterInventoryItem => ({
  account,
  region,
  name,
  arn: `arn:aws:eks:${region}:${account}:cluster/${name}`,
  version: '1.33',
  platformVersion: 'eks.1',
  status: 'ACTIVE',
  endpointPublicAccess: false,
  endpointPrivateAccess: true,
  publicAccessCidrs: [],
  logging: connected ? ['audit'] : [],
  auditLogEnabled: connected,
  auditSinkSubscribed: connected,
  connected,
  nodegroups: 0,
  findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  lastSeen: '2026-11-01T00:00:00.000Z',
});

describe('the local inventory store', () => {
  it('replaces one account and region at a time, lists in order and survives a restart', async () => {
    const dir = tempDir();
    const store = await LocalInventoryStore.open({ dir });
    await store.replaceRegion('111111111111', 'eu-west-1', [item('111111111111', 'eu-west-1', 'b', true), item('111111111111', 'eu-west-1', 'a', false)]);
    await store.replaceRegion('111111111111', 'us-east-1', [item('111111111111', 'us-east-1', 'c', false)]);
    await store.replaceRegion('111111111111', 'eu-west-1', [item('111111111111', 'eu-west-1', 'b', true)]);
    const reopened = await LocalInventoryStore.open({ dir });
    expect((await reopened.list()).map((c) => `${c.region}/${c.name}`)).toEqual(['eu-west-1/b', 'us-east-1/c']);
    expect((await reopened.list({ connected: false })).map((c) => c.name)).toEqual(['c']);
    expect(await reopened.list({ account: '222222222222' })).toEqual([]);
  });
});

describe('GET /inventory', () => {
  it('lists clusters with a connected summary, filters, and rejects bad filters', async () => {
    const inventory = await LocalInventoryStore.open({ dir: null });
    await inventory.replaceRegion('111111111111', 'eu-west-1', [item('111111111111', 'eu-west-1', 'a', false), item('111111111111', 'eu-west-1', 'b', true)]);
    const findings = await LocalFindingStore.open({ dir: null });
    const get = (query: Record<string, string> = {}) => handleFindingsRequest({ method: 'GET', path: '/inventory', query }, findings, undefined, inventory);

    const all = await get();
    expect(all.statusCode).toBe(200);
    expect(all.body).toMatchObject({ summary: { clusters: 2, connected: 1, notConnected: 1 } });
    expect(((await get({ connected: 'false' })).body as { clusters: ClusterInventoryItem[] }).clusters.map((c) => c.name)).toEqual(['a']);
    expect((await get({ account: 'nope' })).statusCode).toBe(400);
    expect((await get({ connected: 'maybe' })).statusCode).toBe(400);
    expect((await get({ unknown: 'x' })).statusCode).toBe(400);
    expect((await handleFindingsRequest({ method: 'POST', path: '/inventory' }, findings, undefined, inventory)).statusCode).toBe(405);
    // A router without an inventory (older callers) does not know the route.
    expect((await handleFindingsRequest({ method: 'GET', path: '/inventory' }, findings)).statusCode).toBe(404);
  });
});

describe('shipwatch serve', () => {
  it('serves GET /inventory from its embedded store', async () => {
    const running = await startServer({ port: 0, host: '127.0.0.1', dataDir: tempDir(), env: {}, log: () => {} });
    try {
      await running.inventory.replaceRegion('111111111111', 'eu-west-1', [item('111111111111', 'eu-west-1', 'a', false)]);
      const res = await fetch(`${running.url}/inventory?connected=false`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { clusters: ClusterInventoryItem[] }).clusters.map((c) => c.name)).toEqual(['a']);
    } finally {
      await running.close();
    }
  });
});

describe('the posture scan core', () => {
  const snapshot = (publicEndpoint: boolean): RegionSnapshot => ({
    account: '111111111111',
    region: 'eu-west-1',
    clusters: [
      {
        cluster: {
          name: 'prod',
          arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/prod',
          version: '1.33',
          resourcesVpcConfig: { endpointPublicAccess: publicEndpoint, endpointPrivateAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
          logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
          encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' } }],
        },
        nodegroups: [],
        auditSinkSubscribed: true,
      },
    ],
    repositories: [
      {
        repository: { repositoryName: 'broken-policy', repositoryArn: 'arn:aws:ecr:eu-west-1:111111111111:repository/broken-policy', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'k' } },
        policyText: '{not json',
      },
    ],
    registryScanning: { scanType: 'BASIC', rules: [] },
  });

  it('leaves findings and inventory alone for a region it cannot read, and reports why', async () => {
    const store = await LocalFindingStore.open({ dir: null });
    const inventory = await LocalInventoryStore.open({ dir: null });
    let current: RegionSnapshot | Error = snapshot(true);
    const source: PostureSource = { read: async () => { if (current instanceof Error) throw current; return current; } };
    const accounts = [{ accountId: '111111111111', regions: ['eu-west-1'] }];

    const [first] = await runPostureScan(accounts, { source, store, inventory, now: () => new Date('2026-11-01T00:00:00Z') });
    expect(first).toMatchObject({ findings: 1, opened: 1, problems: [expect.stringContaining('broken-policy: the policy is not valid JSON')] });

    current = Object.assign(new Error('User is not authorized to perform: eks:ListClusters'), { name: 'AccessDeniedException' });
    const [failed] = await runPostureScan(accounts, { source, store, inventory, now: () => new Date('2026-11-02T00:00:00Z') });
    expect(failed).toMatchObject({ account: '111111111111', region: 'eu-west-1', error: 'AccessDeniedException: User is not authorized to perform: eks:ListClusters' });
    expect((await store.query({ source: 'posture' })).items.map((f) => f.ruleId)).toEqual(['EKS-001']);
    expect((await inventory.list()).map((c) => c.lastSeen)).toEqual(['2026-11-01T00:00:00.000Z']);

    current = snapshot(false);
    const [fixed] = await runPostureScan(accounts, { source, store, inventory, now: () => new Date('2026-11-03T00:00:00Z') });
    expect(fixed).toMatchObject({ findings: 0, resolved: 1 });
    expect((await store.query({ source: 'posture', status: 'resolved' })).items.map((f) => f.ruleId)).toEqual(['EKS-001']);
  });

  it('applies .shipwatch-style rule settings to live findings: disable, severity and EKS-006 options', async () => {
    const store = await LocalFindingStore.open({ dir: null });
    const inventory = await LocalInventoryStore.open({ dir: null });
    const source: PostureSource = { read: async () => snapshot(true) };
    const config = { severity: { 'EKS-001': 'critical' as const }, ruleOptions: { 'EKS-006': { oldestSupportedVersion: '1.34' } } };
    await runPostureScan([{ regions: ['eu-west-1'] }], { source, store, inventory, config });
    const found = (await store.query({ source: 'posture' })).items;
    expect(found.map((f) => [f.ruleId, f.severity]).sort()).toEqual([
      ['EKS-001', 'critical'],
      ['EKS-006', 'medium'],
    ]);
    const disabled = await LocalFindingStore.open({ dir: null });
    await runPostureScan([{ regions: ['eu-west-1'] }], { source, store: disabled, inventory, config: { disable: ['EKS-001'] } });
    expect((await disabled.query({ source: 'posture' })).items).toEqual([]);
  });
});
