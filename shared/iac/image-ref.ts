/**
 * Container image references (catalog iac.md K8S-033…036), shared by the Kubernetes image rules
 * and the Dockerfile FROM rules (DOCKER-002…004).
 */

export interface ImageRef {
  /** Registry host, lower-cased; `docker.io` when the reference names none. */
  registry: string;
  /** Repository path inside the registry; single Docker Hub names get the `library/` prefix. */
  repository: string;
  /** Tag after the last `:` of the last `/`-segment; null when there is none. */
  tag: string | null;
  /** Everything after `@`; null when there is no `@`. */
  digest: string | null;
  /** The digest follows the OCI grammar (and the fixed lengths of sha256, sha512 and blake3). */
  digestValid: boolean;
}

const DOCKER_HUB = 'docker.io';
/** Names Docker treats as Docker Hub itself. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Registered algorithms have a fixed encoding; any other follows the generic OCI digest grammar. */
const REGISTERED_DIGESTS: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
  blake3: /^[a-f0-9]{64}$/,
};
const OCI_DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export function isValidDigest(digest: string): boolean {
  const m = OCI_DIGEST.exec(digest);
  if (!m) return false;
  const registered = REGISTERED_DIGESTS[m[1]];
  return registered ? registered.test(m[2]) : true;
}

/**
 * Docker's rule: the first `/`-segment is a registry host when it contains `.` or `:`, is `localhost`,
 * or has upper-case letters (repository names cannot).
 */
function isRegistryHost(segment: string): boolean {
  return /[.:]/.test(segment) || segment === 'localhost' || segment !== segment.toLowerCase();
}

/** Splits `name` (no tag, no digest) into registry and repository, resolving Docker Hub names. */
function resolveName(name: string): { registry: string; repository: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && isRegistryHost(first)) {
    const registry = first.toLowerCase();
    const repository = name.slice(slash + 1);
    if (DOCKER_HUB_ALIASES.has(registry)) return dockerHub(repository);
    return { registry, repository };
  }
  return dockerHub(name);
}

function dockerHub(repository: string): { registry: string; repository: string } {
  return { registry: DOCKER_HUB, repository: repository.includes('/') ? repository : `library/${repository}` };
}

export function parseImageRef(ref: string): ImageRef {
  // Several rules read every container's image: parse each distinct reference once.
  let parsed = parsedRefs.get(ref);
  if (!parsed) {
    if (parsedRefs.size > 10_000) parsedRefs.clear();
    parsedRefs.set(ref, (parsed = Object.freeze(readImageRef(ref))));
  }
  return parsed;
}

const parsedRefs = new Map<string, ImageRef>();

function readImageRef(ref: string): ImageRef {
  const trimmed = ref.trim();
  const at = trimmed.indexOf('@');
  const digest = at < 0 ? null : trimmed.slice(at + 1);
  let name = at < 0 ? trimmed : trimmed.slice(0, at);
  let tag: string | null = null;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon >= 0) {
    tag = lastSegment.slice(colon + 1) || null;
    name = name.slice(0, name.length - lastSegment.length + colon);
  }
  return { ...resolveName(name), tag, digest, digestValid: digest !== null && isValidDigest(digest) };
}

/** `registry/repository` as the allowlist sees it, e.g. `docker.io/library/nginx`. */
export function resolvedName(ref: string | ImageRef): string {
  const parsed = typeof ref === 'string' ? parseImageRef(ref) : ref;
  return `${parsed.registry}/${parsed.repository}`;
}

/**
 * An allowlist entry as a name prefix: a registry host (`registry.k8s.io`) or a repository prefix
 * (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/`); entries without a host are Docker Hub paths.
 */
function allowlistPrefix(entry: string): string | null {
  const trimmed = entry.trim().replace(/\/+$/, '');
  if (trimmed === '') return null;
  const slash = trimmed.indexOf('/');
  const first = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const rest = slash < 0 ? '' : trimmed.slice(slash);
  if (!isRegistryHost(first)) return `${DOCKER_HUB}/${trimmed}`;
  const host = first.toLowerCase();
  return (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host) + rest;
}

/**
 * Whether the image's resolved name equals an entry or lies under it on a `/` boundary, so
 * `123.dkr.ecr.eu-west-1.amazonaws.com/` never matches `123.dkr.ecr.eu-west-1.amazonaws.com.evil.io/x`.
 */
export function matchesAllowlist(ref: string | ImageRef, allowlist: readonly string[]): boolean {
  const name = resolvedName(ref);
  return allowlist.some((entry) => {
    const prefix = allowlistPrefix(entry);
    return prefix !== null && (name === prefix || name.startsWith(`${prefix}/`));
  });
}
