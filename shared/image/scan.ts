// `scanImage`: read every platform of an image once, match its packages against the vulnerability
// data, run the IMG checks, and return the same ScanResult `shipwatch scan` produces. A platform that
// cannot be read becomes an error while the others are still scanned.
import { existsSync } from 'node:fs';
import { ConfigError, type ShipwatchConfig } from '../config/config.ts';
import { configIgnores } from '../config/ignores.ts';
import { fingerprint, sortFindings, summarize, type Finding } from '../findings/finding.ts';
import { allRules } from '../rules/registry.ts';
import { ruleEnabled } from '../scan/engine.ts';
import type { ScanError, ScanNotice, ScanResult } from '../scan/result.ts';
import { pathAllowRule } from '../secrets/allow-rules.ts';
import { scanSecrets } from '../secrets/scan.ts';
import { matchPackages, type VulnerabilityMatch } from '../vuln/match.ts';
import type { VulnDb } from '../vuln/index-db.ts';
import type { ImageCheck, ImageFacts, ImageHit, LayerSecret, SecretHitRecord } from './checks/check.ts';
import './checks/rules/all.ts';
import skippedManifestCheck from './checks/rules/img-067-skipped-manifest.ts';
import type { ImageLimits } from './limits.ts';
import { ImageReadError } from './limits.ts';
import type { ImageRef } from './model.ts';
import { readImage, type FileInspector, type ReadImageResult, type ScannedImage, type SkippedManifest } from './read.ts';
import { allowedRegistry, parseAllowedRegistries, type AllowedRegistry } from './registry/allowlist.ts';
import { RegistryClient } from './registry/client.ts';
import { chainCredentials, type CredentialsProvider } from './registry/credentials.ts';
import { defaultEcrClient, ecrCredentials, ecrManifest, parseEcrHost, type EcrClientFactory } from './registry/ecr.ts';
import type { LayerCache } from './layers/cache.ts';

/** Vulnerability data older than this many days makes every result carry a warning (SHIPWATCH_VULN_DB_MAX_AGE_DAYS). */
export const DEFAULT_VULN_DB_MAX_AGE_DAYS = 7;

export interface ImageScanOptions {
  /** `.shipwatch.yaml`: disable/enable, severity overrides, ignores (paths match the file inside the image or `registry/repository`), ruleOptions. */
  config?: ShipwatchConfig;
  /** Clock for freshness (IMG-061, IMG-062, the data's age). */
  now?: Date;
  /** Opened vulnerability data; without it IMG-080…082 are not evaluated (and a notice says so). */
  vulnDb?: VulnDb | null;
  vulnDbMaxAgeDays?: number;
  /** `linux/amd64`, ...; default every linux platform. */
  platforms?: readonly string[];
  /** Default `SHIPWATCH_REGISTRIES`. */
  registries?: readonly AllowedRegistry[];
  credentials?: CredentialsProvider;
  ecr?: EcrClientFactory | null;
  /** API base URLs for registries served elsewhere (pull-through mirrors), by registry host. */
  mirrors?: Record<string, string>;
  limits?: Partial<ImageLimits>;
  layerCache?: LayerCache | null;
  /** The tag the image was pushed under, when the source names it by digest only. */
  tag?: string | null;
  /** Look for cosign signature/attestation tags in the registry (IMG-065); default true. */
  probeSignatures?: boolean;
}

/** A ScanResult (the `--format json` contract) plus what happened to each platform, for the callers. */
export interface ImageScanResult extends ScanResult {
  platforms: { ref: ImageRef; indexDigest: string | null; status: 'scanned' | 'failed' | 'skipped' }[];
}

/** Text files up to this size are searched for secrets (IMG-043); larger ones are data, not configuration. */
export const SECRET_SCAN_MAX_BYTES = 1024 * 1024;
/** Formats that are never text: skipped before their bytes are read. */
const BINARY_EXTENSION = /\.(?:so(?:\.\d+)*|a|o|ko|pyc|pyo|class|jar|war|whl|egg|zip|gz|tgz|bz2|xz|zst|lz4|7z|png|jpe?g|gif|webp|ico|bmp|tiff?|woff2?|ttf|otf|eot|mo|db|sqlite|pack|idx|wasm|node|bin|dat|pdf)$/i;

/** Secrets of every file version in every layer, found while the layer streams (cached with the layer). */
const secretInspector: FileInspector<{ path: string; hits: SecretHitRecord[] }> = {
  key: 'image-secrets-v1',
  wants: (path, size) => size > 0 && size <= SECRET_SCAN_MAX_BYTES && !BINARY_EXTENSION.test(path) && pathAllowRule(path) === undefined,
  inspect(file) {
    if (file.content.subarray(0, 8192).includes(0)) return [];
    const hits = scanSecrets(file.path, file.content.toString('utf8')).map((h) => ({ ruleId: h.rule.id, severity: h.severity, message: h.message, line: h.line, masked: h.masked }));
    return hits.length ? [{ path: file.path, hits }] : [];
  },
};

let checksCache: ImageCheck[] | undefined;
/** The registered image checks that compute something from the image (IMG-083 is ingested, not computed). */
function imageChecks(): ImageCheck[] {
  checksCache ??= allRules().filter((r): r is ImageCheck => r.engine === 'image' && typeof (r as Partial<ImageCheck>).check === 'function');
  return checksCache;
}

/** One function for every scan, so cached layers are shared between scans. */
const checkWants = (path: string): boolean => imageChecks().some((c) => c.wants?.(path) ?? false);

/** Reads and checks every platform of `source` (a registry reference, an OCI layout folder or an archive). */
export async function scanImage(source: string, options: ImageScanOptions = {}): Promise<ImageScanResult> {
  const config = options.config ?? {};
  const now = options.now ?? new Date();
  const registries = options.registries ?? parseAllowedRegistries(process.env.SHIPWATCH_REGISTRIES);
  const errors: ScanError[] = [];
  const notices: ScanNotice[] = [...vulnDbNotices(options.vulnDb ?? null, options.vulnDbMaxAgeDays ?? DEFAULT_VULN_DB_MAX_AGE_DAYS, now)];
  const results = await readImage(source, {
    platforms: options.platforms,
    registries,
    credentials: options.credentials,
    ecr: options.ecr,
    mirrors: options.mirrors,
    limits: options.limits,
    layerCache: options.layerCache,
    extraWants: checkWants,
    inspect: secretInspector,
  });
  const checks = imageChecks().filter((c) => ruleEnabled(c, config));
  const checkOptions = new Map(checks.map((c) => [c.id, optionsOf(c, config)]));
  const hits: { ref: ImageRef; indexDigest: string | null; check: ImageCheck; hit: ImageHit }[] = [];
  const signatures = options.probeSignatures === false ? null : await referrers(source, results, registries, options);

  for (const result of results) {
    const ref = { ...result.ref, tag: options.tag ?? result.ref.tag };
    const label = describeRef(ref);
    if (result.status === 'failed') {
      errors.push({ file: label, line: null, message: result.error });
      continue;
    }
    if (result.status === 'skipped') {
      if (ruleEnabled(skippedManifestCheck, config)) {
        for (const hit of skippedManifestCheck.check(emptyFacts(ref, result.skipped, now), undefined)) hits.push({ ref, indexDigest: result.indexDigest, check: skippedManifestCheck, hit });
      }
      continue;
    }
    for (const warning of result.warnings) notices.push({ file: label, message: warning });
    let vulnerabilities: VulnerabilityMatch[] = [];
    if (options.vulnDb) {
      const outcome = await matchPackages(options.vulnDb, result.analysis.packages);
      vulnerabilities = outcome.matches;
      if (outcome.missingData.length) notices.push({ file: label, message: `no vulnerability data for ${outcome.missingData.join(', ')}: those packages were not matched` });
      const unsupported = [...new Set(outcome.unsupported.map((p) => p.ecosystem))];
      if (unsupported.length) notices.push({ file: label, message: `no version rules for ${unsupported.join(', ')}: those packages were not matched` });
    }
    const facts = factsOf(result, ref, vulnerabilities, now, signatures?.get(result.indexDigest ?? result.manifestDigest ?? '') ?? (signatures ? [] : null));
    for (const check of checks) {
      try {
        for (const hit of check.check(facts, checkOptions.get(check.id))) hits.push({ ref, indexDigest: result.indexDigest, check, hit });
      } catch (e) {
        errors.push({ file: label, line: null, message: `check ${check.id} failed: ${(e as Error).message}` });
      }
    }
  }
  const findings = finalize(hits, config, now, notices);
  const platforms = results.map((r) => ({ ref: { ...r.ref, tag: options.tag ?? r.ref.tag }, indexDigest: r.indexDigest, status: r.status }));
  return { schemaVersion: 1, findings: sortFindings(findings), errors, notices, summary: summarize(findings), platforms };
}

function factsOf(result: ScannedImage<{ path: string; hits: SecretHitRecord[] }>, ref: ImageRef, vulnerabilities: VulnerabilityMatch[], now: Date, referrerKinds: string[] | null): ImageFacts {
  const secrets: LayerSecret[] = result.inspected.flatMap((layer) => layer.items.map((item) => ({ path: item.path, layerIndex: layer.layerIndex, layerDigest: layer.layerDigest, hits: item.hits })));
  const attestations = result.skipped.some((s) => s.reason === 'attestation') ? ['attestation'] : [];
  return {
    ref,
    config: result.config,
    layers: result.layers,
    entries: result.entries,
    files: result.files,
    allVersions: result.allVersions,
    secrets,
    packages: result.analysis.packages,
    os: result.analysis.os,
    vulnerabilities,
    event: { tag: ref.tag, referrers: referrerKinds === null && attestations.length === 0 ? null : [...(referrerKinds ?? []), ...attestations], skipped: result.skipped },
    now,
  };
}

/** A skipped result has no image to read: only its skipped manifests are reported. */
function emptyFacts(ref: ImageRef, skipped: SkippedManifest[], now: Date): ImageFacts {
  return { ref, config: {}, layers: [], entries: [], files: new Map(), allVersions: [], secrets: [], packages: [], os: null, vulnerabilities: [], event: { tag: ref.tag, referrers: null, skipped }, now };
}

function optionsOf(check: ImageCheck, config: ShipwatchConfig): unknown {
  if (!check.optionsSchema) return undefined;
  const parsed = check.optionsSchema.safeParse(config.ruleOptions?.[check.id] ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError('.shipwatch.yaml', `ruleOptions.${[check.id, ...issue.path].join('.')}: ${issue.message}`);
}

export function describeRef(ref: Pick<ImageRef, 'registry' | 'repository' | 'tag' | 'digest' | 'platform'>): string {
  const name = `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
  return ref.platform ? `${name} (${ref.platform})` : name;
}

function vulnDbNotices(db: VulnDb | null, maxAgeDays: number, now: Date): ScanNotice[] {
  if (!db) return [{ file: null, message: 'no vulnerability data given (--vuln-db or SHIPWATCH_VULN_DB): package vulnerabilities (IMG-080…082) were not checked' }];
  const age = db.ageDays(now);
  const notices: ScanNotice[] = [{ file: db.info.location, message: `vulnerability data ${db.info.dataVersion} (${db.info.kind}), updated ${db.info.updatedAt}, ${age.toFixed(1)} days old` }];
  if (db.isStale(maxAgeDays, now)) {
    notices.push({ file: db.info.location, message: `warning: the vulnerability data is ${Math.floor(age)} days old (more than ${maxAgeDays}): recent vulnerabilities are missing; sync it` });
  }
  for (const problem of db.info.problems) notices.push({ file: db.info.location, message: `vulnerability data: ${problem}` });
  return notices;
}

/**
 * Hits as findings: identity, configuration (severity overrides, ignores with paths matched
 * against the file inside the image or `registry/repository`), one finding per fingerprint.
 *
 * Fingerprint: rule + `registry/repository` + platform + the hit's own field (a path, an ENV key,
 * a package and vulnerability id, a normalised history instruction). Neither the digest nor the tag
 * is part of it, so a rebuilt or re-tagged image keeps its findings comparable, and the store's
 * per-tag scope tells the images apart.
 */
function finalize(hits: { ref: ImageRef; indexDigest: string | null; check: ImageCheck; hit: ImageHit }[], config: ShipwatchConfig, now: Date, notices: ScanNotice[]): Finding[] {
  const ignores = configIgnores(config, now, notices);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const { ref, indexDigest, check, hit } of hits) {
    const image = `${ref.registry}/${ref.repository}`;
    const fp = fingerprint({ ruleId: check.id, target: image, field: `${ref.platform ?? ''}\u0000${hit.field}` });
    if (seen.has(fp)) continue;
    seen.add(fp);
    const file = hit.path ? `/${hit.path.replace(/^\/+/, '')}` : null;
    const finding: Finding = {
      ruleId: check.id,
      severity: config.severity?.[check.id] ?? hit.severity ?? check.severity,
      title: check.title,
      message: hit.message,
      remediation: check.remediation,
      fingerprint: fp,
      source: 'image',
      location: file ? { file, line: hit.line ?? null } : null,
      resource: null,
      container: null,
      compliance: check.compliance,
      suppressed: false,
      suppression: null,
      ...(hit.evidence ? { evidence: hit.evidence } : {}),
      image: {
        registry: ref.registry,
        repository: ref.repository,
        tag: ref.tag,
        digest: ref.digest,
        platform: ref.platform,
        ...(indexDigest ? { indexDigest } : {}),
        ...(hit.layerDigest ? { layerDigest: hit.layerDigest } : {}),
        ...(hit.historyIndex !== undefined && hit.historyIndex !== null ? { historyIndex: hit.historyIndex } : {}),
      },
      ...(hit.vulnerability ? { vulnerability: { ...hit.vulnerability } } : {}),
    };
    const ignored = ignores.find(check.id, file === null ? [image] : [image, file, file.slice(1)]);
    if (ignored) {
      finding.suppression = { source: 'config', reason: ignored.reason, expires: ignored.expires ?? null };
      finding.suppressed = true;
    }
    findings.push(finding);
  }
  return findings;
}

const SIGNATURE_SUFFIXES = ['sig', 'att', 'sbom'] as const;

/**
 * Signatures, attestations and SBOMs attached to each scanned image digest (IMG-065), by digest:
 * cosign's `sha256-<hex>.sig|.att|.sbom` tags, found among the source's own roots (an OCI layout
 * holding them) or, for a registry reference, asked of the registry. Null when it cannot tell.
 */
async function referrers(source: string, results: ReadImageResult<unknown>[], registries: readonly AllowedRegistry[], options: ImageScanOptions): Promise<Map<string, string[]> | null> {
  const found = new Map<string, string[]>();
  const digests = [...new Set(results.flatMap((r) => [r.indexDigest ?? r.manifestDigest]).filter((d): d is string => typeof d === 'string' && d.startsWith('sha256:')))];
  const tags = new Set(results.map((r) => r.ref.tag).filter((t): t is string => t !== null));
  for (const digest of digests) {
    const kinds = SIGNATURE_SUFFIXES.filter((suffix) => tags.has(`sha256-${digest.slice(7)}.${suffix}`));
    if (kinds.length) found.set(digest, [...kinds]);
  }
  const first = results[0]?.ref;
  if (first === undefined || existsSync(source)) return digests.length ? found : null;
  try {
    const probe = tagProbe(first.registry, first.repository, registries, options);
    for (const digest of digests) {
      if (found.has(digest)) continue;
      const kinds: string[] = [];
      for (const suffix of SIGNATURE_SUFFIXES) if (await probe(`sha256-${digest.slice(7)}.${suffix}`)) kinds.push(suffix);
      found.set(digest, kinds);
    }
    return found;
  } catch {
    // The registry would not say (refused, unreachable, no permission): IMG-065 stays silent.
    return null;
  }
}

/** Whether a tag exists in the repository (false on "not found"; other failures throw). */
function tagProbe(registry: string, repository: string, registries: readonly AllowedRegistry[], options: ImageScanOptions): (tag: string) => Promise<boolean> {
  const allowed = allowedRegistry(registries, registry);
  const ecr = options.ecr === null ? null : parseEcrHost(registry);
  const ecrClients = options.ecr ?? defaultEcrClient;
  const credentials = ecr ? chainCredentials(...(options.credentials ? [options.credentials] : []), ecrCredentials(ecrClients)) : options.credentials;
  const client = new RegistryClient(allowed, { credentials, baseUrl: options.mirrors?.[allowed.host] });
  return async (tag) => {
    try {
      await (ecr ? ecrManifest(ecrClients(ecr.region), ecr, repository, tag) : client.manifest(repository, tag));
      return true;
    } catch (e) {
      if (e instanceof ImageReadError && / not found /.test(e.message)) return false;
      throw e;
    }
  };
}
