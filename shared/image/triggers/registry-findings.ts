// The registry's own scan results (ECR basic scanning, Amazon Inspector enhanced scanning) as
// `registry`-source IMG-083 findings: paged from DescribeImageScanFindings, normalised, and
// de-duplicated against the vulnerability findings our own scan stored for the same digest.
import { DescribeImageScanFindingsCommand, ECRClient, type EnhancedImageScanFinding, type ImageScanFinding } from '@aws-sdk/client-ecr';
import { fingerprint, type Finding, type Severity } from '../../findings/finding.ts';
import type { FindingScope, StoredFinding } from '../../pipeline/model.ts';
import type { FindingStore } from '../../pipeline/ports.ts';
import registryFindingRule from '../checks/rules/img-083-registry-finding.ts';
import { parseEcrRegistry } from './push-events.ts';

export type RegistryScanner = 'ecr-basic' | 'inspector';

/** The image a registry scan event is about. */
export interface RegistryScanTarget {
  registry: string;
  repository: string;
  digest: string;
  tags: string[];
  scanner: RegistryScanner;
}

/** One vulnerability as a registry scanner reported it, normalised. */
export interface RegistryVulnerability {
  id: string;
  package: string;
  version: string;
  fixedVersion: string | null;
  /** null when the scanner does not say (basic scanning never does). */
  fixAvailable: boolean | null;
  /** The scanner's package manager (`OS`, `NPM`, `PYTHONPKG`, ...) when it names one. */
  ecosystem: string | null;
  severity: Severity;
  title: string | null;
  /** Where the package was found inside the image, for language packages. */
  filePath: string | null;
  scanner: RegistryScanner;
}

/** Where registry scan results come from (ECR over the AWS API here; a stand-in in tests). */
export interface RegistryFindingsSource {
  findings(target: RegistryScanTarget): Promise<RegistryVulnerability[]>;
}

const SEVERITY: Record<string, Severity> = { CRITICAL: 'critical', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' };

const severityOf = (value: string | undefined): Severity => SEVERITY[(value ?? '').toUpperCase()] ?? 'info';

/** A basic-scanning finding: the package is in the attributes (`package_name`, `package_version`). */
export function fromBasicFinding(f: ImageScanFinding): RegistryVulnerability | null {
  const attribute = (key: string) => f.attributes?.find((a) => a.key === key)?.value ?? null;
  const name = attribute('package_name');
  if (!f.name || !name) return null;
  return { id: f.name, package: name, version: attribute('package_version') ?? '', fixedVersion: null, fixAvailable: null, ecosystem: null, severity: severityOf(f.severity), title: f.description ?? null, filePath: null, scanner: 'ecr-basic' };
}

/** An Inspector finding: one normalised vulnerability per vulnerable package it lists. */
export function fromEnhancedFinding(f: EnhancedImageScanFinding): RegistryVulnerability[] {
  const details = f.packageVulnerabilityDetails;
  if (!details?.vulnerabilityId) return [];
  const fixAvailable = f.fixAvailable === 'YES' ? true : f.fixAvailable === 'NO' ? false : null;
  return (details.vulnerablePackages ?? [])
    .filter((p) => p.name)
    .map((p) => ({
      id: details.vulnerabilityId!,
      package: p.name!,
      // Inspector splits rpm/deb versions into epoch, version and release; the image records them joined.
      version: `${p.epoch ? `${p.epoch}:` : ''}${p.version ?? ''}${p.release ? `-${p.release}` : ''}`,
      fixedVersion: p.fixedInVersion && p.fixedInVersion !== 'NotAvailable' ? p.fixedInVersion : null,
      fixAvailable,
      ecosystem: p.packageManager ?? null,
      severity: severityOf(f.severity),
      title: f.title ?? null,
      filePath: p.filePath ?? null,
      scanner: 'inspector' as const,
    }));
}

/** Pages DescribeImageScanFindings (basic `findings` and Inspector `enhancedFindings`) for one image. */
export class EcrScanFindings implements RegistryFindingsSource {
  private readonly clients = new Map<string, ECRClient>();

  constructor(private readonly clientFor: (region: string) => ECRClient = (region) => new ECRClient({ region })) {}

  async findings(target: RegistryScanTarget): Promise<RegistryVulnerability[]> {
    const ecr = parseEcrRegistry(target.registry);
    if (!ecr) throw new Error(`${target.registry} is not an ECR registry`);
    let client = this.clients.get(ecr.region);
    if (!client) this.clients.set(ecr.region, (client = this.clientFor(ecr.region)));
    const out: RegistryVulnerability[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeImageScanFindingsCommand({ registryId: ecr.account, repositoryName: target.repository, imageId: { imageDigest: target.digest }, maxResults: 1000, nextToken }),
      );
      for (const f of page.imageScanFindings?.findings ?? []) {
        const v = fromBasicFinding(f);
        if (v) out.push(v);
      }
      for (const f of page.imageScanFindings?.enhancedFindings ?? []) out.push(...fromEnhancedFinding(f));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  }
}

/** (vulnerability id, package, version): the identity two scanners agree on. */
const dedupeKey = (id: string, pkg: string, version: string) => `${id}\u0000${pkg}\u0000${version}`;

/** Our own open vulnerability findings for the image digest (any tag of the repository). */
async function ownVulnerabilityFindings(store: FindingStore, image: string, digest: string): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({ image, source: 'image', status: 'open' }, { cursor, limit: 500 });
    out.push(...page.items.filter((f) => f.image?.digest === digest && f.vulnerability));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export function registryFinding(target: RegistryScanTarget, tag: string | null, v: RegistryVulnerability): Finding {
  const image = `${target.registry}/${target.repository}`;
  const fix = v.fixedVersion ? `, fixed in ${v.fixedVersion}` : v.fixAvailable === false ? ', no fixed version yet' : '';
  return {
    ruleId: registryFindingRule.id,
    severity: v.severity,
    title: registryFindingRule.title,
    message: `${v.id} in ${v.package} ${v.version}${fix} (reported by ${v.scanner === 'inspector' ? 'Amazon Inspector' : 'ECR basic scanning'})`,
    remediation: registryFindingRule.remediation,
    fingerprint: fingerprint({ ruleId: registryFindingRule.id, target: image, field: `registry:${v.id}:${v.package}:${v.filePath ?? ''}` }),
    source: 'registry',
    location: v.filePath ? { file: v.filePath, line: null } : null,
    resource: null,
    container: null,
    compliance: registryFindingRule.compliance,
    suppressed: false,
    suppression: null,
    image: { registry: target.registry, repository: target.repository, tag, digest: target.digest, platform: null, scanner: v.scanner },
    vulnerability: { id: v.id, aliases: [], package: v.package, installedVersion: v.version, fixedVersion: v.fixedVersion, ecosystem: v.ecosystem ?? 'unknown', fixAvailable: v.fixAvailable },
  };
}

export interface IngestDeps {
  source: RegistryFindingsSource;
  store: FindingStore;
}

/**
 * Reads the registry's findings for one image and upserts the ones our scan did not already report
 * (as an event stream: absent ones are not resolved). The scope is the tag our own scan used for
 * the digest, else the image's first tag, else its digest.
 */
export async function ingestRegistryFindings(target: RegistryScanTarget, deps: IngestDeps): Promise<{ ingested: number; duplicates: number }> {
  const image = `${target.registry}/${target.repository}`;
  const [vulnerabilities, own] = await Promise.all([deps.source.findings(target), ownVulnerabilityFindings(deps.store, image, target.digest)]);
  const known = new Set<string>();
  for (const f of own) {
    const v = f.vulnerability as { id: string; aliases?: string[]; package: string; installedVersion: string };
    for (const id of [v.id, ...(v.aliases ?? [])]) known.add(dedupeKey(id, v.package, v.installedVersion));
  }
  const fresh = vulnerabilities.filter((v) => !known.has(dedupeKey(v.id, v.package, v.version)));
  const ref = own.find((f) => f.scope.ref)?.scope.ref ?? target.tags[0] ?? target.digest;
  const scope: FindingScope = { image, ref };
  const tag = ref === target.digest ? null : ref;
  if (fresh.length > 0) await deps.store.upsert(scope, fresh.map((v) => registryFinding(target, tag, v)));
  return { ingested: fresh.length, duplicates: vulnerabilities.length - fresh.length };
}
