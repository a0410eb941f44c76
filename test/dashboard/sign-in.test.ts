// The deployed dashboard's sign-in (Cognito hosted UI, authorization code with PKCE) in chromium,
// against a stand-in of the hosted UI and of the /api routes that plays their part of the protocol.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSite, ensureDashboardBuild } from '../../shared/server/dashboard.ts';
import { launchBrowser } from './support.ts';

const CLIENT_ID = 'dashboard-client';
const TOKEN = randomBytes(16).toString('hex');
const stats = {
  generatedAt: '2026-11-20T00:00:00.000Z',
  open: { total: 3, bySeverity: { critical: 1, high: 2, medium: 0, low: 0, info: 0 }, bySource: { iac: 3, image: 0, registry: 0, audit: 0, posture: 0 } },
  byStatus: { open: 3, suppressed: 0, resolved: 0 },
  topRules: [],
  riskiest: { repo: [], image: [], cluster: [] },
  series: [{ day: '2026-11-20', opened: 3, resolved: 0 }],
  truncated: false,
};

let server: Server;
let base: string;
const seen: { authorize?: URLSearchParams; token?: URLSearchParams; apiAuthorization: (string | undefined)[] } = { apiAuthorization: [] };
let challenge = '';
const base64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

beforeAll(async () => {
  await ensureDashboardBuild();
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/oauth2/authorize') {
      seen.authorize = url.searchParams;
      challenge = url.searchParams.get('code_challenge') ?? '';
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'the-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.token = new URLSearchParams(body);
        const verifier = seen.token.get('code_verifier') ?? '';
        const ok = seen.token.get('code') === 'the-code' && base64url(createHash('sha256').update(verifier).digest()) === challenge;
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { access_token: TOKEN, id_token: 'x', token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' }));
      });
      return;
    }
    if (url.pathname === '/api/stats') {
      seen.apiAuthorization.push(req.headers.authorization);
      const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
      res.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(authorized ? stats : { message: 'Unauthorized' }));
      return;
    }
    void site.handle(req, res, url.pathname).then((handled) => handled || res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  site = dashboardSite({ config: { apiBase: '/api', auth: { region: 'eu-west-1', userPoolClientId: CLIENT_ID, domain: base }, user: null }, log: () => {} });
}, 120_000);
let site: ReturnType<typeof dashboardSite>;

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('dashboard sign-in', () => {
  it('signs in with the code flow and PKCE, then calls the API with the access token', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${base}/#/`);
      await page.locator('[data-count="total"]').waitFor();
      expect(await page.locator('[data-count="total"]').textContent()).toBe('3');

      expect(seen.authorize?.get('response_type')).toBe('code');
      expect(seen.authorize?.get('client_id')).toBe(CLIENT_ID);
      expect(seen.authorize?.get('code_challenge_method')).toBe('S256');
      expect(seen.authorize?.get('redirect_uri')).toBe(`${base}/`);
      expect(seen.token?.get('grant_type')).toBe('authorization_code');
      expect(seen.token?.get('code_verifier')?.length).toBeGreaterThanOrEqual(43);
      // The page signs in before its first call, so every call carries the token.
      expect(seen.apiAuthorization.length).toBeGreaterThan(0);
      expect(seen.apiAuthorization.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
      // The code is gone from the address bar, the view is where the user started.
      expect(page.url()).toBe(`${base}/#/`);
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
