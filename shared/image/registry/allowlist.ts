/**
 * The registries the scanner may contact (`SHIPWATCH_REGISTRIES`): `host[:port][=http]`, comma
 * separated. A reference naming any other registry is refused before a single request is made, so
 * a forged push event cannot point the scanner at an internal address. `=http` allows plain HTTP
 * for that one entry (a local registry); everything else is HTTPS only.
 */

export interface AllowedRegistry {
  /** `host` or `host:port`, lower-cased, exactly as image references name it. */
  host: string;
  scheme: 'https' | 'http';
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;

/** Docker Hub names its registry `docker.io` in references but serves the API elsewhere. */
const API_HOSTS: Record<string, string> = { 'docker.io': 'registry-1.docker.io' };

export class RegistryNotAllowedError extends Error {
  override name = 'RegistryNotAllowedError';
}

/** Parses `SHIPWATCH_REGISTRIES`; a malformed entry is an error that names it. */
export function parseAllowedRegistries(value: string | undefined): AllowedRegistry[] {
  const entries: AllowedRegistry[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, option, ...rest] = entry.split('=');
    if (rest.length || (option !== undefined && option !== 'http')) throw new Error(`SHIPWATCH_REGISTRIES: ${quote(entry)} is not host[:port][=http]`);
    const host = address.toLowerCase();
    const port = /:(\d+)$/.exec(host);
    const name = port ? host.slice(0, port.index) : host;
    if (!HOST.test(name) || (port && (Number(port[1]) < 1 || Number(port[1]) > 65535))) {
      throw new Error(`SHIPWATCH_REGISTRIES: ${quote(entry)} is not host[:port][=http]`);
    }
    entries.push({ host, scheme: option === 'http' ? 'http' : 'https' });
  }
  return entries;
}

/** The allowlist entry for a registry host (`host[:port]` compared exactly), or a refusal naming it. */
export function allowedRegistry(allowed: readonly AllowedRegistry[], registry: string): AllowedRegistry {
  const host = registry.toLowerCase();
  const match = allowed.find((entry) => entry.host === host);
  if (match) return match;
  const list = allowed.length ? allowed.map((entry) => entry.host).join(', ') : 'none configured';
  throw new RegistryNotAllowedError(`registry ${quote(registry)} is not in SHIPWATCH_REGISTRIES (allowed: ${list}); refusing to contact it`);
}

/** Where the registry's Distribution API lives, e.g. `https://registry-1.docker.io`. */
export function registryBaseUrl(registry: AllowedRegistry): string {
  return `${registry.scheme}://${API_HOSTS[registry.host] ?? registry.host}`;
}

/** Untrusted text (from an event) as a quoted, length-bounded string with control characters escaped. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
