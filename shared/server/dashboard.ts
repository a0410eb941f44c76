// The dashboard as `shipwatch serve` hands it out: the static bundle under dist/dashboard (built
// from dashboard/ with Vite when missing or older than its sources), its settings at /config.json,
// and the headers that keep the page to its own origin.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

/** What the page reads at start: where the API is and how to sign in (null: no sign-in, as on `serve`). */
export interface DashboardConfig {
  apiBase: string;
  auth: { region: string; userPoolClientId: string; domain: string } | null;
  /** Who changes to findings are recorded as (serve only; deployed, the sign-in says). */
  user: string | null;
}

/** Only the page's own files, styles and API calls; no inline script, no framing, no other origin. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DASHBOARD_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

const BUILD_INFO = 'build-info.json';
/** A build lock older than this was left by a process that died while building. */
const STALE_LOCK_MS = 5 * 60_000;

/** The repository (or installed package) root: the nearest folder up whose package.json is shipwatch's. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'shipwatch') return dir;
    if (dirname(dir) === dir) throw new Error(`no shipwatch package.json above ${from}`);
  }
}

/**
 * The Vite build of the dashboard (also what `dashboard/vite.config.ts`, the `build:dashboard`
 * script, uses). It records which sources it was built from, so `serve` knows when to rebuild.
 */
export function dashboardViteConfig(root: string, outDir: string): InlineConfig {
  const sourceVersion = Math.floor(newestSource(join(root, 'dashboard')));
  return {
    root: join(root, 'dashboard'),
    base: './',
    publicDir: false,
    logLevel: 'warn',
    clearScreen: false,
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsDir: 'assets',
      sourcemap: false,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
    },
    plugins: [
      {
        name: 'shipwatch-build-info',
        closeBundle() {
          writeFileSync(join(outDir, BUILD_INFO), JSON.stringify({ sourceVersion }));
        },
      },
    ],
  };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The folder of a dashboard build from the current sources: dist/dashboard, rebuilt with Vite when
 * it is missing or its sources changed since (like the CLI bundle). Without sources (an installed
 * package) the shipped build is used as it is.
 */
export async function ensureDashboardBuild(root: string = packageRoot()): Promise<string> {
  const sources = join(root, 'dashboard');
  const out = join(root, 'dist', 'dashboard');
  if (!existsSync(sources)) {
    if (existsSync(join(out, 'index.html'))) return out;
    throw new Error(`no dashboard build at ${out} and no sources to build it from`);
  }
  const version = Math.floor(newestSource(sources));
  if (builtVersion(out) === version) return out;

  let build: typeof import('vite').build;
  try {
    ({ build } = await import('vite'));
  } catch {
    throw new Error('the dashboard is not built and Vite is not installed: run `npm run build:dashboard` in a full checkout');
  }
  mkdirSync(dirname(out), { recursive: true });
  // One build at a time across processes (test workers, a second `serve`): the others wait for it.
  const lock = `${out}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (builtVersion(out) === version) return out;
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (builtVersion(out) === version) return out;
    const temporary = `${out}.${process.pid}.tmp`;
    await build({ ...dashboardViteConfig(root, temporary), configFile: false });
    rmSync(out, { recursive: true, force: true });
    renameSync(temporary, out);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function builtVersion(out: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(out, BUILD_INFO), 'utf8')) as { sourceVersion?: number }).sourceVersion ?? null;
  } catch {
    return null;
  }
}

export interface DashboardSite {
  /** Answers GET/HEAD for the page, its assets and /config.json; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

/**
 * Serves the dashboard. The build happens on the first request for it (a server that only takes
 * webhooks never builds), and its files are kept in memory after the first read.
 */
export function dashboardSite(options: { config: DashboardConfig; root?: string; buildDir?: () => Promise<string>; log: (line: string) => void }): DashboardSite {
  let built: Promise<string> | null = null;
  const files = new Map<string, Buffer>();
  const dir = () => {
    built ??= (options.buildDir ?? (() => ensureDashboardBuild(options.root)))().catch((e: Error) => {
      built = null;
      throw e;
    });
    return built;
  };

  return {
    async handle(req, res, path) {
      const isConfig = path === '/config.json';
      const name = path === '/' || path === '/index.html' ? 'index.html' : /^\/assets\/[A-Za-z0-9._-]+$/.test(path) ? path.slice(1) : null;
      if (name === null && !isConfig) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `use GET on ${path}` }));
        return true;
      }
      if (name === null) {
        res.writeHead(200, { ...DASHBOARD_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(options.config));
        return true;
      }
      let root: string;
      try {
        root = await dir();
      } catch (e) {
        options.log(`dashboard unavailable: ${(e as Error).message}`);
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`The dashboard is not available: ${(e as Error).message}\n`);
        return true;
      }
      let body = files.get(name);
      if (!body) {
        try {
          body = await readFile(join(root, name));
        } catch {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `no such file ${path}` }));
          return true;
        }
        files.set(name, body);
      }
      const immutable = name.startsWith('assets/');
      res.writeHead(200, {
        ...DASHBOARD_HEADERS,
        'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        'content-length': String(body.length),
        // Asset names carry a content hash; the page itself must be re-read to pick up a new build.
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
