// Debian's docker-registry (Distribution v2) on a free loopback port, and skopeo to push OCI layouts
// to it: the real registry the image tests run against (`apt-get install -y docker-registry skopeo`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/moto.ts';

export interface LocalRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  /** What the registry printed (for failure messages). */
  log(): string;
  /** Pushes an OCI layout folder as `repository:tag`. */
  push(layout: string, reference: string): void;
  stop(): Promise<void>;
}

/** Fails (never skips) when a tool is missing, naming the packages to install. */
export function requireTool(name: string): void {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${name} is not installed: the image end-to-end tests need Debian's registry and skopeo (apt-get install -y docker-registry skopeo)`);
  }
}

/**
 * Starts a registry on `host` (default a free loopback port); with `notify`, its push notifications
 * go to that URL with the bearer token.
 */
export async function startRegistry(notify?: { url: string; token: string }, host?: string): Promise<LocalRegistry> {
  requireTool('docker-registry');
  requireTool('skopeo');
  host ??= `127.0.0.1:${await freePort()}`;
  const root = mkdtempSync(join(tmpdir(), 'shipwatch-registry-'));
  const config = join(root, 'config.yml');
  const lines = ['version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', `    rootdirectory: ${join(root, 'data')}`, 'http:', `  addr: ${host}`];
  if (notify) {
    lines.push('notifications:', '  endpoints:', '    - name: shipwatch', `      url: ${notify.url}`, '      headers:', `        Authorization: [Bearer ${notify.token}]`, '      timeout: 5s', '      threshold: 3', '      backoff: 1s');
  }
  writeFileSync(config, lines.join('\n') + '\n');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${output}`);
    if (await fetch(`http://${host}/v2/`).then((r) => r.ok).catch(() => false)) break;
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer within 30 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    log: () => output,
    push(layout, reference) {
      const out = spawnSync('skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layout}`, `docker://${host}/${reference}`], { encoding: 'utf8', timeout: 60_000 });
      if (out.status !== 0) throw new Error(`skopeo copy failed (${out.status}): ${out.stderr}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
