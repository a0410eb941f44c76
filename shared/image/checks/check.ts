// The image check contract: metadata plus a pure `check(image)` over what one platform of an image
// holds. One check per file under rules/, registered with `imageCheck`; scan.ts runs them.
import type { z } from 'zod';
import type { Severity } from '../../findings/finding.ts';
import { registerRule, type RuleMeta } from '../../rules/registry.ts';
import type { VulnerabilityMatch } from '../../vuln/match.ts';
import type { LayerEntry, LayerFile } from '../analyzer.ts';
import type { ImageConfig, ImageRef, InstalledPackage, Layer, OsRelease } from '../model.ts';
import type { SkippedManifest } from '../read.ts';

/** What the push (or the question asked) says about the image besides its bytes. */
export interface ImageEvent {
  /** The tag that was pushed or asked for; null for a digest-only reference. */
  tag: string | null;
  /**
   * Signatures, attestations or SBOMs attached to the digest (cosign `sha256-….sig` tags, OCI referrers,
   * Notation): their kinds, or null when the source could not tell.
   */
  referrers: string[] | null;
  /** Manifests the reader skipped next to this platform (artifacts, attestations, unknown media types). */
  skipped: SkippedManifest[];
}

/** One SECRET-xx match in a layer file, as kept with the layer (masked, never the raw value). */
export interface SecretHitRecord {
  ruleId: string;
  severity: Severity;
  message: string;
  /** 1-based line. */
  line: number;
  masked: string;
}

/** The secrets found in one file version of one layer (the file may be deleted or replaced later). */
export interface LayerSecret {
  /** Path inside the image, without a leading `/`. */
  path: string;
  layerIndex: number;
  layerDigest: string;
  hits: SecretHitRecord[];
}

/** One platform of an image, as the checks read it. */
export interface ImageFacts {
  ref: ImageRef;
  config: ImageConfig;
  layers: Layer[];
  /** Every tar entry of every layer (no content), with `deleted` set by later whiteouts. */
  entries: LayerEntry[];
  /** Wanted files of the final filesystem, by path (no leading `/`). */
  files: Map<string, LayerFile>;
  /** Wanted files from every layer, including versions a later layer replaced or deleted. */
  allVersions: LayerFile[];
  /** Secret pattern hits in the text files of every layer (IMG-043/044/045). */
  secrets: LayerSecret[];
  packages: InstalledPackage[];
  os: OsRelease | null;
  /** The packages' matches in the vulnerability data (empty when no data was given). */
  vulnerabilities: VulnerabilityMatch[];
  event: ImageEvent;
  /** The clock the freshness checks use (injectable for tests). */
  now: Date;
}

/** What a check reports. scan.ts turns hits into findings. */
export interface ImageHit {
  message: string;
  /** Overrides the check's severity where the catalog says so. */
  severity?: Severity;
  /** Path inside the image (no leading `/`), when the hit is about a file. */
  path?: string | null;
  line?: number | null;
  /** The layer (and the history entry that made it) holding the evidence. */
  layerDigest?: string | null;
  historyIndex?: number | null;
  /** Masked evidence (never a whole secret). */
  evidence?: string | null;
  /** For vulnerability checks: the `vulnerability` block of the finding. */
  vulnerability?: VulnerabilityBlock;
  /**
   * What makes this hit distinct inside the image, independent of the digest (a path, an ENV key, a
   * package name, a history instruction): the fingerprint is rule + repository + platform + this, so a
   * rebuilt image keeps its open findings.
   */
  field: string;
}

/** The finding's `vulnerability` block (design.md contract), plus whether a fixed version exists. */
export interface VulnerabilityBlock {
  id: string;
  aliases: string[];
  package: string;
  installedVersion: string;
  fixedVersion: string | null;
  ecosystem: string;
  fixAvailable: boolean;
  /** CVSS base score behind the severity, when the record had a vector. */
  cvssScore?: number | null;
}

export interface ImageCheck<O = unknown> extends RuleMeta {
  engine: 'image';
  /** File contents this check reads (paths without a leading `/`); the layer walk collects them in its single pass. */
  wants?(path: string): boolean;
  /** Validates and defaults `ruleOptions.<id>` of `.shipwatch.yaml`. */
  optionsSchema?: z.ZodType<O>;
  check(image: ImageFacts, options: O): Iterable<ImageHit>;
}

export function imageCheck<O = unknown>(
  def: Omit<RuleMeta, 'engine'> & {
    wants?(path: string): boolean;
    optionsSchema?: z.ZodType<O>;
    check(image: ImageFacts, options: O): Iterable<ImageHit>;
  },
): ImageCheck<O> {
  return registerRule({ ...def, engine: 'image' as const });
}
