// The sensitive-file list of IMG-044 (and IMG-045 for deleted ones): some files are sensitive by
// name alone, others only when their content holds a credential.
import { posix } from 'node:path';
import type { LayerEntry, LayerFile } from '../analyzer.ts';
import type { ImageFacts, LayerSecret } from './check.ts';
import { deletedInLaterLayer, isRegular, isWhiteoutMarker, normalizePath, textOf } from './filesystem.ts';

const BY_NAME: { test(path: string, base: string): boolean; what: string }[] = [
  { test: (_, base) => /^id_(?:rsa|dsa|ecdsa|ed25519)$/.test(base), what: 'SSH private key' },
  { test: (path) => /(?:^|\/)\.aws\/credentials$/.test(path), what: 'AWS credentials file' },
  { test: (_, base) => base === '.pypirc', what: 'PyPI credentials (.pypirc)' },
  { test: (_, base) => base === '.netrc', what: '.netrc credentials' },
  { test: (_, base) => base === '.git-credentials', what: 'git credential store' },
  { test: (_, base) => base === '.env', what: '.env file' },
  { test: (_, base) => base === 'terraform.tfstate', what: 'Terraform state' },
  { test: (_, base) => base.endsWith('.tfvars'), what: 'Terraform variables file' },
  { test: (_, base) => base === 'credentials.json', what: 'credentials.json' },
  { test: (_, base) => /\.(?:jks|p12|pfx)$/i.test(base), what: 'keystore' },
  { test: (_, base) => base.endsWith('.ovpn'), what: 'OpenVPN profile' },
];

const PRIVATE_KEY_HEADER = /^\s*-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

const BY_CONTENT: { test(path: string, base: string): boolean; holds(text: string): boolean; what: string }[] = [
  { test: (_, base) => /\.(?:pem|key)$/i.test(base), holds: (t) => PRIVATE_KEY_HEADER.test(t), what: 'private key file' },
  { test: (path) => /(?:^|\/)\.aws\/config$/.test(path), holds: (t) => /^\s*aws_(?:access_key_id|secret_access_key|session_token)\s*=/m.test(t), what: 'AWS config holding keys' },
  { test: (path) => /(?:^|\/)\.docker\/config\.json$/.test(path), holds: dockerConfigHasAuth, what: 'Docker registry credentials (config.json auths)' },
  { test: (_, base) => base === '.npmrc', holds: (t) => /(?:^|[\s:])_auth(?:Token)?\s*=\s*\S/m.test(t), what: '.npmrc with an auth token' },
  { test: (_, base) => base === 'pip.conf', holds: (t) => /index-url\s*=\s*\S*:\/\/[^\s/@:]+:[^\s/@]+@/.test(t), what: 'pip.conf with credentials in the index URL' },
  { test: (path, base) => base === 'kubeconfig' || /(?:^|\/)\.kube\/config$/.test(path), holds: (t) => /^\s*(?:token|client-key-data|client-key)\s*:\s*\S/m.test(t), what: 'kubeconfig with a token or client key' },
  { test: (_, base) => base === 'settings.xml', holds: (t) => /<password>\s*[^<\s]/.test(t), what: 'Maven settings.xml with a password' },
];

function dockerConfigHasAuth(text: string): boolean {
  try {
    const auths = (JSON.parse(text) as { auths?: Record<string, { auth?: unknown }> }).auths;
    return Object.values(auths ?? {}).some((a) => typeof a?.auth === 'string' && a.auth !== '');
  } catch {
    return /"auth"\s*:\s*"[^"]+"/.test(text);
  }
}

/** Files whose content decides whether they are sensitive: the checks ask the layer walk for them. */
export function wantsSensitiveContent(path: string): boolean {
  const base = posix.basename(path);
  return BY_CONTENT.some((rule) => rule.test(path, base));
}

export interface SensitiveFile {
  path: string;
  layerIndex: number;
  what: string;
  /** A SECRET-xx pattern matched inside this version of the file. */
  secret: LayerSecret | null;
  deleted: boolean;
}

/**
 * Every version of every sensitive file in any layer: by name from the layer entries, by content from
 * the wanted files, and any file where SECRET-09 found a GCP service-account key. `deleted` tells
 * whether a later layer's whiteout removed that version.
 */
export function sensitiveFiles(image: ImageFacts): SensitiveFile[] {
  let files = sensitiveCache.get(image);
  if (!files) sensitiveCache.set(image, (files = findSensitiveFiles(image)));
  return files;
}

const sensitiveCache = new WeakMap<ImageFacts, SensitiveFile[]>();

function findSensitiveFiles(image: ImageFacts): SensitiveFile[] {
  const secretsOf = new Map<string, LayerSecret>();
  for (const s of image.secrets) secretsOf.set(`${s.layerIndex}\u0000${normalizePath(s.path)}`, s);
  const found = new Map<string, SensitiveFile>();
  const add = (path: string, layerIndex: number, what: string) => {
    const key = `${layerIndex}\u0000${path}`;
    if (!found.has(key)) found.set(key, { path, layerIndex, what, secret: secretsOf.get(key) ?? null, deleted: deletedInLaterLayer(image, path, layerIndex) });
  };
  for (const entry of image.entries) {
    const path = normalizePath(entry.path);
    if (!isRegularFile(entry, path)) continue;
    const base = posix.basename(path);
    const rule = BY_NAME.find((r) => r.test(path, base));
    if (rule) add(path, entry.layerIndex, rule.what);
  }
  for (const file of image.allVersions) {
    const path = normalizePath(file.path);
    const base = posix.basename(path);
    const rule = BY_CONTENT.find((r) => r.test(path, base));
    if (rule && holds(rule, file)) add(path, file.layerIndex, rule.what);
  }
  for (const s of image.secrets) {
    if (s.hits.some((h) => h.ruleId === 'SECRET-09')) add(normalizePath(s.path), s.layerIndex, 'GCP service-account key file');
  }
  return [...found.values()].sort((a, b) => a.layerIndex - b.layerIndex || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const isRegularFile = (entry: LayerEntry, path: string) => isRegular(entry) && !isWhiteoutMarker(path);
const holds = (rule: (typeof BY_CONTENT)[number], file: LayerFile) => rule.holds(textOf(file));
