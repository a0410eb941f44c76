// Seeded stores and a real browser for the dashboard tests.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Finding, Severity } from '../../shared/findings/finding.ts';
import type { FindingScope } from '../../shared/pipeline/model.ts';
import type { FindingStore } from '../../shared/pipeline/ports.ts';
import type { ClusterInventoryItem, InventoryStore } from '../../shared/posture/inventory.ts';
import { finding, scanRecord } from '../store/support.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'dashboard');
export const XSS_NAME = '<img src=x onerror=alert(1)>';

export const SHOP: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
export const API: FindingScope = { repo: 'github:acme/api', ref: 'main' };
export const IMAGE: FindingScope = { image: 'registry.example/shop' };
export const CLUSTER: FindingScope = { cluster: 'prod-eu' };

/**
 * A small estate: two repositories, an image and a cluster, with findings of each source, one
 * suppressed in the source, one resolved, and one whose title and resource name are an HTML payload.
 * Returns the seeded open-finding counts per severity.
 */
export async function seedEstate(store: FindingStore, now = new Date()): Promise<Record<Severity, number>> {
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
  const shop: Finding[] = [
    finding('web', { severity: 'critical' }),
    finding('worker', { severity: 'critical', ruleId: 'K8S-002', title: 'Host PID namespace shared', compliance: ['CIS-K8S 5.2.3'] }),
    finding('cache', { severity: 'high', ruleId: 'K8S-030', title: 'Service account token mounted', compliance: ['CIS-K8S 5.1.6'] }),
    finding('legacy', {
      severity: 'high',
      ruleId: 'K8S-030',
      title: 'Service account token mounted',
      compliance: ['CIS-K8S 5.1.6'],
      suppressed: true,
      suppression: { source: 'annotation', reason: 'legacy chart, rewrite planned', expires: null },
    }),
    finding('gone', { severity: 'medium', ruleId: 'K8S-040', title: 'No memory limit' }),
  ];
  await store.applyScan(SHOP, shop, scanRecord(daysAgo(3)));
  // The second scan no longer produces `gone`: it is resolved.
  await store.applyScan(SHOP, shop.slice(0, 4), scanRecord(daysAgo(1)));

  await store.applyScan(
    API,
    [
      finding(XSS_NAME, { severity: 'medium', ruleId: 'K8S-047', title: XSS_NAME, message: `Deployment ${XSS_NAME} runs in the default namespace` }),
      finding('api-low', { severity: 'low', ruleId: 'DOCKER-016', title: 'Package manager cache left in the image', location: { file: 'Dockerfile', line: 4 }, resource: null, container: null }),
    ],
    scanRecord(daysAgo(2)),
  );
  await store.applyScan(
    IMAGE,
    [finding('openssl', { severity: 'high', ruleId: 'IMG-080', title: 'OS package vulnerable', source: 'image', location: null, resource: null, container: null, compliance: [] })],
    scanRecord(daysAgo(2)),
  );
  await store.upsert(CLUSTER, [
    finding('exec', { severity: 'medium', ruleId: 'AUDIT-009', title: 'Interactive access to a container', source: 'audit', location: null, resource: null, container: null, compliance: [] }),
  ]);
  return { critical: 2, high: 2, medium: 2, low: 1, info: 0 };
}

/** Two clusters of one account: prod-eu sends its audit log to the sink, legacy-us has it off. */
export async function seedInventory(inventory: InventoryStore, now = new Date()): Promise<void> {
  const cluster = (name: string, connected: boolean): ClusterInventoryItem => ({
    account: '123456789012',
    region: 'eu-west-1',
    name,
    arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${name}`,
    version: connected ? '1.31' : '1.27',
    platformVersion: null,
    status: 'ACTIVE',
    endpointPublicAccess: !connected,
    endpointPrivateAccess: true,
    publicAccessCidrs: connected ? [] : ['0.0.0.0/0'],
    logging: connected ? ['api', 'audit'] : [],
    auditLogEnabled: connected,
    auditSinkSubscribed: connected,
    connected,
    nodegroups: 2,
    findings: { critical: connected ? 0 : 1, high: connected ? 0 : 1, medium: connected ? 0 : 2, low: 0, info: 0 },
    lastSeen: now.toISOString(),
  });
  await inventory.replaceRegion('123456789012', 'eu-west-1', [cluster('prod-eu', true), cluster('legacy-us', false)]);
}

/** Debian's chromium, headless, with a fresh profile and nothing that phones home. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'shipwatch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
