// The dashboard in a real browser (Debian's chromium through playwright-core) against
// `shipwatch serve` with a seeded embedded store. Screenshots go to test-artifacts/dashboard/.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../shared/pipeline/model.ts';
import { startServer, type RunningServer } from '../../shared/server/serve.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { LocalInventoryStore } from '../../shared/posture/inventory-local.ts';
import { artifactPath, CHROMIUM, launchBrowser, seedEstate, seedInventory, XSS_NAME } from './support.ts';

let dataDir: string;
let server: RunningServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let expected: Awaited<ReturnType<typeof seedEstate>>;
const dialogs: string[] = [];
const pageErrors: string[] = [];

const api = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  dataDir = mkdtempSync(join(tmpdir(), 'shipwatch-dashboard-'));
  const seeded = await LocalFindingStore.open({ dir: dataDir });
  expected = await seedEstate(seeded);
  await seeded.flush();
  await seedInventory(await LocalInventoryStore.open({ dir: dataDir }));
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir, env: {}, log: () => {} });
  // The first request builds the bundle when the sources changed; do it before the clock of a test runs.
  expect((await fetch(`${server.url}/`)).status).toBe(200);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard in chromium', () => {
  it('serves the page with a strict content security policy', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await res.text()).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('renders the overview counts from the store', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('[data-count="total"]').waitFor();
    expect(await page.locator('[data-count="total"]').textContent()).toBe('7');
    for (const [severity, n] of Object.entries(expected)) expect(await page.locator(`[data-count="${severity}"]`).textContent(), severity).toBe(String(n));
    expect(await page.locator('[data-source="iac"]').textContent()).toBe('5');
    expect(await page.locator('[data-source="image"]').textContent()).toBe('1');
    expect(await page.locator('[data-source="audit"]').textContent()).toBe('1');
    // The chart has a bar pair per day and says what it shows.
    expect(await page.locator('figure.chart svg rect.bar-opened').count()).toBe(30);
    expect(await page.locator('figure.chart svg title#chart-title').textContent()).toMatch(/^New and resolved findings per day over 30 days: 9 new, 1 resolved$/);
    expect(await page.locator('#riskiest-repo + ol li').first().textContent()).toContain('github:acme/shop');
    await page.screenshot({ path: artifactPath('overview-1280.png'), fullPage: true });
  });

  it('filters the findings table on the server, with the filters in the URL', async () => {
    await page.goto(`${server.url}/#/findings`);
    await page.locator('#findings-rows tr').first().waitFor();
    expect(await page.locator('#findings-rows tr').count()).toBe(7);

    await page.selectOption('select[name="severity"]', 'critical');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('#findings-rows tr').length === 2);
    expect(page.url()).toContain('severity=critical');
    expect(await page.locator('#findings-rows .badge.sev-critical').count()).toBe(2);

    await page.fill('input[name="q"]', 'host pid');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('#findings-rows tr').length === 1);
    expect(await page.locator('#findings-rows tr').textContent()).toContain('Host PID namespace shared');

    await page.goto(`${server.url}/#/findings?status=suppressed`);
    await page.waitForFunction(() => document.querySelector('#result-count')?.textContent?.startsWith('Showing 1–1'));
    expect(await page.locator('#findings-rows tr').textContent()).toContain('legacy');

    await page.goto(`${server.url}/#/findings?cluster=prod-eu`);
    await page.waitForFunction(() => document.querySelectorAll('#findings-rows tr').length === 1);
    expect(await page.locator('#findings-rows tr').textContent()).toContain('AUDIT-009');
    await page.screenshot({ path: artifactPath('findings-filtered.png'), fullPage: true });
  });

  it('round-trips a suppression and a re-open through the API, recorded with who did it', async () => {
    const { findings } = await api<{ findings: StoredFinding[] }>('/findings?rule=K8S-030');
    expect(findings).toHaveLength(1);
    const fp = findings[0].fingerprint;

    await page.goto(`${server.url}/#/findings/${fp}`);
    await page.locator('textarea[name="reason"]').waitFor();
    await page.fill('textarea[name="reason"]', 'cache needs the token until the IRSA move');
    await page.fill('input[name="expires"]', '2099-12-31');
    await page.click('form.stack button[type="submit"]');
    await page.locator('#suppression-state').waitFor();
    expect(await page.locator('#suppression-state').textContent()).toBe('Suppressed by local-user until 2099-12-31: cache needs the token until the IRSA move');
    expect(await page.locator('#history-list').textContent()).toContain('suppressed by local-user: cache needs the token until the IRSA move');

    const stored = await api<{ finding: StoredFinding }>(`/findings/${fp}`);
    expect(stored.finding).toMatchObject({ status: 'suppressed', suppressedBy: 'local-user', suppressedReason: 'cache needs the token until the IRSA move', suppressedUntil: '2099-12-31' });
    await page.screenshot({ path: artifactPath('finding-suppressed.png'), fullPage: true });

    await page.fill('textarea[name="reason"]', 'IRSA done');
    await page.click('form.stack button[type="submit"]');
    await page.waitForFunction(() => !document.querySelector('#suppression-state'));
    const reopened = await api<{ finding: StoredFinding; history: { event: string; by?: string; reason?: string }[] }>(`/findings/${fp}`);
    expect(reopened.finding.status).toBe('open');
    expect(reopened.history.at(-1)).toMatchObject({ event: 'unsuppressed', by: 'local-user', reason: 'IRSA done' });
  });

  it('shows a finding named like an HTML payload as text, never as markup', async () => {
    const { findings } = await api<{ findings: StoredFinding[] }>('/findings?rule=K8S-047');
    await page.goto(`${server.url}/#/findings?rule=K8S-047`);
    await page.locator('#findings-rows tr').first().waitFor();
    expect(await page.locator('#findings-rows').textContent()).toContain(XSS_NAME);
    await page.goto(`${server.url}/#/findings/${findings[0].fingerprint}`);
    await page.locator('h1#page-title').waitFor();
    expect(await page.locator('h1#page-title').textContent()).toBe(XSS_NAME);
    await page.goto(`${server.url}/#/`);
    await page.locator('#top-rules + .table-wrap').waitFor();
    expect(await page.locator('#top-rules + .table-wrap').textContent()).toContain(XSS_NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('drills down from the compliance posture to a failing control and its findings', async () => {
    await page.goto(`${server.url}/#/compliance`);
    await page.locator('tr[data-framework="cis-k8s"]').waitFor();
    expect(await page.locator('tr[data-framework]').count()).toBe(7);
    expect(Number(await page.locator('tr[data-framework="cis-k8s"] td[data-status="fail"]').textContent())).toBeGreaterThan(0);
    await page.click('tr[data-framework="cis-k8s"] a');
    const control = page.locator('li[data-control="5.2.2"]');
    await control.waitFor();
    expect(await control.getAttribute('class')).toContain('status-fail');
    await control.locator('summary').click();
    expect(await control.locator('.control-body').textContent()).toContain('Privileged container');
    await page.screenshot({ path: artifactPath('compliance-cis-k8s.png'), fullPage: true });
  });

  it('lists the cluster inventory with the clusters not connected first and marked', async () => {
    await page.goto(`${server.url}/#/inventory`);
    await page.locator('#clusters tr').first().waitFor();
    expect(await page.locator('#inventory-summary').textContent()).toMatch(/^1 of 2 clusters are not connected to Shipwatch/);
    const rows = page.locator('#clusters tr');
    expect(await rows.nth(0).getAttribute('data-connected')).toBe('false');
    expect(await rows.nth(0).getAttribute('class')).toBe('not-connected');
    expect(await rows.nth(0).textContent()).toContain('audit log off');
    expect(await rows.nth(1).textContent()).toMatch(/prod-eu.*connected/);
    await page.screenshot({ path: artifactPath('inventory.png'), fullPage: true });
  });

  it('is usable with the keyboard alone', async () => {
    const fresh = await browser.context.newPage();
    await fresh.goto(`${server.url}/#/`);
    await fresh.locator('[data-count="total"]').waitFor();
    const page = fresh;
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Findings');
    await page.keyboard.press('Enter');
    await page.locator('#findings-rows tr').first().waitFor();
    // The new view's heading has the focus, and the filter form follows it in tab order.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('q');
    await fresh.close();
  });

  it('fits a phone screen without sideways scrolling of the page', async () => {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const view of ['#/', '#/findings', '#/compliance/pci-dss']) {
      await phone.goto(`${server.url}/${view}`);
      await phone.locator('h1#page-title').waitFor();
      await phone.waitForLoadState('networkidle');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(390);
    }
    await phone.goto(`${server.url}/#/`);
    await phone.locator('[data-count="total"]').waitFor();
    await phone.screenshot({ path: artifactPath('overview-phone.png'), fullPage: true });
    await phone.close();
  });
});
