// The image check contract: metadata plus a pure `check(image)` over what one platform of an image
// holds. One check per file under rules/, registered with `imageCheck`; scan.ts runs them.
import type { z } from 'zod';
import type { Severity } from '../../findings/finding.ts';
import { registerRule, type RuleMeta } from '../../rules/registry.ts';
import type { SecretFinding } from '../../secrets/scan.ts';
import type { LayerEntry, LayerFile } from '../analyzer.ts';
import type { ImageConfig, ImageRef, InstalledPackage, Layer, OsRelease } from '../model.ts';

/** A manifest the reader did not scan (an artifact, an attestation inside an index, an unknown media type). */
export interface SkippedManifest {
  digest: string | null;
  mediaType: string | null;
  reason: string;
}

/** What the push (or the question asked) says about the image besides its bytes. */
export interface ImageEvent {
  /** The tag that was pushed or asked for; null for a digest-only reference. */
  tag: string | null;
  /**
   * Signatures, attestations or SBOMs attached to the digest (cosign `sha256-….sig` tags, OCI referrers,
   * Notation): their kinds, or null when the source could not tell.
   */
  referrers: string[] | null;
  /** Manifests of the image index that were skipped; reported once per image, on its first platform. */
  skipped: SkippedManifest[];
}

/** A secret found in one file version of one layer (the file may be deleted or replaced later). */
export interface LayerSecret {
  /** Path inside the image, without a leading `/`. */
  path: string;
  layerIndex: number;
  layerDigest: string;
  hits: SecretFinding[];
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
  /**
   * What makes this hit distinct inside the image, independent of the digest (a path, an ENV key, a
   * package name, a history instruction): the fingerprint is rule + repository + platform + this, so a
   * rebuilt image keeps its open findings.
   */
  field: string;
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
