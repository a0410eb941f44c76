/**
 * Reading images: a registry reference, an OCI image layout directory or a `docker save` /
 * `oci-archive` tarball in, one result per platform out. Each layer is streamed once
 * (decompressed on the fly, read as tar, never written to disk); analyzers and the caller's checks
 * get only the files they asked for; the final filesystem honours whiteouts while every earlier
 * version of a wanted file stays available (a secret deleted in a later layer still ships).
 * A platform that cannot be read (missing blob, corrupt layer, over a limit) becomes a `failed`
 * result and the others are still read; artifacts and unknown manifests are skipped and recorded.
 */
import './analyzers/all.ts';
import { parseImageRef } from '../iac/image-ref.ts';
import { allAnalyzers, type Analyzer, type AnalysisResult, type LayerEntry, type LayerFile } from './analyzer.ts';
import { sharedLayerCache, type LayerCache } from './layers/cache.ts';
import { DecompressionBudget, layerContent } from './layers/decompress.ts';
import { mergeLayers } from './layers/merge.ts';
import { walkLayer, type FileInspector, type LayerScan, type WalkPlan } from './layers/walk.ts';
import { ImageLimitError, ImageReadError, formatBytes, imageLimits, type ImageLimits } from './limits.ts';
import { parseManifest, platformString, skippedIndexEntry, verifyDigest, type Descriptor, type FetchedManifest, type Platform, type SkipReason } from './manifest.ts';
import type { ImageConfig, ImageRef, Layer } from './model.ts';
import { parseAllowedRegistries, type AllowedRegistry } from './registry/allowlist.ts';
import type { CredentialsProvider } from './registry/credentials.ts';
import type { EcrClientFactory } from './registry/ecr.ts';
import { openImageStore } from './sources/open.ts';
import type { ImageStore } from './sources/store.ts';

export type { FileInspector, InspectedFile } from './layers/walk.ts';

export interface ReadImageOptions<T = never> {
  limits?: Partial<ImageLimits>;
  /** `linux/amd64`, `linux/arm64/v8`, ...; default every linux platform of an index. */
  platforms?: readonly string[];
  /** Registries that may be contacted; default `SHIPWATCH_REGISTRIES` from the environment. */
  registries?: readonly AllowedRegistry[];
  credentials?: CredentialsProvider;
  /** ECR API clients by region (default: SDK clients from the environment); null reads ECR like any registry. */
  ecr?: EcrClientFactory | null;
  /** API base URLs for registries served elsewhere (pull-through mirrors), by registry host. */
  mirrors?: Record<string, string>;
  /** Default: one cache shared by the process; null reads every layer afresh. */
  layerCache?: LayerCache | null;
  /**
   * More files whose content the caller's checks need (`etc/passwd`, `.npmrc`, ...), read in the same
   * pass and returned in `files`/`allVersions`. Cached layers are shared between calls that pass the
   * same function.
   */
  extraWants?: (path: string) => boolean;
  /** For checks over many files (secrets): content inspected while streaming, never retained. */
  inspect?: FileInspector<T>;
  /** Default: every registered analyzer. */
  analyzers?: readonly Analyzer[];
  /** Layers downloaded and read at the same time. */
  layerConcurrency?: number;
  /**
   * Check each layer blob's sha256 against its digest while reading. Default: for registry blobs
   * (the digest is what makes a pulled image the one its manifest names, and what the layer cache
   * trusts) but not for local layouts and archives, whose integrity is their owner's; their sizes,
   * and the gzip checksums, are checked either way.
   */
  verifyLayerDigests?: boolean;
  signal?: AbortSignal;
}

/** A manifest that was not read (IMG-067 for artifacts, attestations and unknown media types). */
export interface SkippedManifest {
  digest: string;
  mediaType: string;
  reason: SkipReason;
  detail: string;
  platform: string | null;
}

export interface InspectedLayer<T> {
  layerIndex: number;
  layerDigest: string;
  items: T[];
}

interface ImageOutcome {
  ref: ImageRef;
  /** This platform's manifest digest (null for a legacy `docker save` archive, which has none). */
  manifestDigest: string | null;
  /** The index it was listed in, when it came from one. */
  indexDigest: string | null;
  skipped: SkippedManifest[];
}

export interface ScannedImage<T = never> extends ImageOutcome {
  status: 'scanned';
  config: ImageConfig;
  layers: Layer[];
  /** Every entry of every layer, `deleted` when it is not in the final filesystem. */
  entries: LayerEntry[];
  /** Files wanted through `extraWants` or by analyzers, as in the final filesystem. */
  files: Map<string, LayerFile>;
  /** Every version of those files in any layer, including ones later removed (`deleted`). */
  allVersions: LayerFile[];
  analysis: AnalysisResult;
  inspected: InspectedLayer<T>[];
  /** Things the reader left out or could not do (oversized files, escaping paths, an analyzer failure). */
  warnings: string[];
}

export interface FailedImage extends ImageOutcome {
  status: 'failed';
  error: string;
}

/** Nothing runnable here (an artifact, or only unselected platforms): see `skipped`. */
export interface SkippedImage extends ImageOutcome {
  status: 'skipped';
}

export type ReadImageResult<T = never> = ScannedImage<T> | FailedImage | SkippedImage;

interface Context {
  store: ImageStore;
  limits: ImageLimits;
  platforms: readonly string[] | undefined;
  analyzers: readonly Analyzer[];
  plan: WalkPlan;
  planKey: string;
  verifyLayers: boolean;
  cache: LayerCache | null;
  concurrency: number;
  signal?: AbortSignal;
}

type ImageBase = Pick<ImageRef, 'registry' | 'repository' | 'tag'>;

/**
 * Reads every image (every selected platform) the source names. Throws only when nothing can be
 * read at all: a refused registry, a missing path or top-level manifest, a malformed source.
 */
export async function readImage<T = never>(source: string, options: ReadImageOptions<T> = {}): Promise<ReadImageResult<T>[]> {
  const limits = imageLimits(options.limits);
  const analyzers = options.analyzers ?? allAnalyzers();
  const store = await openImageStore(source, {
    registries: options.registries ?? parseAllowedRegistries(process.env.SHIPWATCH_REGISTRIES),
    credentials: options.credentials,
    ecr: options.ecr,
    mirrors: options.mirrors,
    maxManifestBytes: limits.maxManifestBytes,
  });
  const plan: WalkPlan = { analyzers, extraWants: options.extraWants, inspect: options.inspect as FileInspector<unknown> | undefined, maxFileBytes: limits.maxFileBytes };
  const ctx: Context = {
    store,
    limits,
    platforms: options.platforms,
    analyzers,
    plan,
    planKey: [analyzers.map((a) => a.name).join(','), limits.maxFileBytes, identity(options.extraWants), options.inspect?.key ?? ''].join('|'),
    verifyLayers: options.verifyLayerDigests ?? store.remote,
    cache: options.layerCache === undefined ? sharedLayerCache : options.layerCache,
    concurrency: Math.max(1, options.layerConcurrency ?? 3),
    signal: options.signal,
  };
  try {
    const results: ReadImageResult<T>[] = [];
    for (const root of await store.roots()) {
      const base: ImageBase = { registry: root.registry, repository: root.repository, tag: root.tag };
      if (root.legacy) results.push(await readPlatform<T>(ctx, base, null, null, root.legacy, undefined));
      else results.push(...(await readManifest<T>(ctx, base, root.manifest!, root.digest, null, 0, undefined)));
    }
    return results;
  } finally {
    await store.close?.();
  }
}

/** A number per function object, so cached layers are shared only between calls that pass the same one. */
const functionIds = new WeakMap<object, number>();
let lastFunctionId = 0;
function identity(fn: object | undefined): string {
  if (!fn) return '';
  let id = functionIds.get(fn);
  if (id === undefined) functionIds.set(fn, (id = ++lastFunctionId));
  return String(id);
}

async function readManifest<T>(
  ctx: Context,
  base: ImageBase,
  fetched: FetchedManifest,
  digest: string | null,
  indexDigest: string | null,
  depth: number,
  platform: Platform | undefined,
): Promise<ReadImageResult<T>[]> {
  const parsed = parseManifest(fetched);
  if (parsed.kind === 'skip') {
    const skipped = { digest: fetched.digest, mediaType: fetched.mediaType, reason: parsed.reason, detail: parsed.detail, platform: platformString(platform) };
    return [{ status: 'skipped', ref: refOf(base, digest, platform), manifestDigest: digest, indexDigest, skipped: [skipped] }];
  }
  if (parsed.kind === 'image') return [await readPlatform<T>(ctx, base, digest ?? fetched.digest, indexDigest, parsed, platform)];
  if (depth >= 2) throw new ImageReadError(`index ${fetched.digest} nests indexes too deeply`);

  const results: ReadImageResult<T>[] = [];
  const skipped: SkippedManifest[] = [];
  const attestations: SkippedManifest[] = [];
  for (const entry of parsed.manifests) {
    const skip = skippedIndexEntry(entry, ctx.platforms);
    if (skip) {
      (skip.reason === 'attestation' ? attestations : skipped).push({ digest: entry.digest, mediaType: entry.mediaType, reason: skip.reason, detail: skip.detail, platform: platformString(entry.platform) });
      continue;
    }
    const entryBase = { ...base, tag: tagOf(entry) ?? base.tag };
    try {
      const child = await ctx.store.manifest(entry);
      results.push(...(await readManifest<T>(ctx, entryBase, child, entry.digest, digest, depth + 1, entry.platform)));
    } catch (e) {
      results.push({ status: 'failed', ref: refOf(entryBase, entry.digest, entry.platform), manifestDigest: entry.digest, indexDigest: digest, skipped: [], error: message(e) });
    }
  }
  // An attestation belongs with the platform image it attests; anything else goes with the first result.
  for (const attestation of attestations) {
    const subject = parsed.manifests.find((m) => m.digest === attestation.digest)?.annotations?.['vnd.docker.reference.digest'];
    const owner = results.find((r) => r.manifestDigest === subject);
    if (owner) owner.skipped.push(attestation);
    else skipped.push(attestation);
  }
  if (skipped.length) {
    if (results.length) results[0].skipped.unshift(...skipped);
    else results.push({ status: 'skipped', ref: refOf(base, digest, undefined), manifestDigest: digest, indexDigest, skipped });
  }
  return results;
}

/** The tag an OCI layout's index.json gives an entry (`org.opencontainers.image.ref.name`). */
function tagOf(entry: Descriptor): string | null {
  const name = entry.annotations?.['org.opencontainers.image.ref.name'];
  if (!name) return null;
  return /[/:@]/.test(name) ? parseImageRef(name).tag : name;
}

function refOf(base: ImageBase, digest: string | null, platform: Platform | undefined): ImageRef {
  return { ...base, digest, platform: platformString(platform) };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function readPlatform<T>(
  ctx: Context,
  base: ImageBase,
  manifestDigest: string | null,
  indexDigest: string | null,
  image: { config: Descriptor; layers: Descriptor[] },
  platform: Platform | undefined,
): Promise<ReadImageResult<T>> {
  const outcome = { ref: refOf(base, manifestDigest, platform), manifestDigest, indexDigest, skipped: [] as SkippedManifest[] };
  try {
    const { limits } = ctx;
    if (image.layers.length > limits.maxLayers) {
      throw new ImageLimitError('maxLayers', `the image has ${image.layers.length} layers, more than ${limits.maxLayers} (maxLayers)`);
    }
    const declared = image.layers.reduce((sum, l) => sum + l.size, 0);
    if (declared > limits.maxImageBytes) {
      throw new ImageLimitError('maxImageBytes', `the image's layers total ${formatBytes(declared)}, more than ${formatBytes(limits.maxImageBytes)} (maxImageBytes)`);
    }
    const config = parseConfig(await readSmallBlob(ctx, image.config, limits.maxManifestBytes));
    outcome.ref.platform ??= platformString(config.os && config.architecture ? { os: config.os, architecture: config.architecture, variant: config.variant } : null);
    const historyIndexes = layerHistory(config, image.layers.length);
    const layers: Layer[] = image.layers.map((d, i) => ({ digest: d.digest, mediaType: d.mediaType, size: d.size, historyIndex: historyIndexes?.[i] ?? null }));
    const scans = await readLayers(ctx, layers, image.layers);
    return { status: 'scanned', ...outcome, ...(await assemble<T>(ctx, config, layers, scans)) };
  } catch (e) {
    return { status: 'failed', ...outcome, error: message(e) };
  }
}

async function readSmallBlob(ctx: Context, descriptor: Descriptor, max: number): Promise<Buffer> {
  if (descriptor.size > max) throw new ImageReadError(`config ${descriptor.digest} is larger than ${formatBytes(max)}`);
  const stream = await ctx.store.blob(descriptor, ctx.signal);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) throw new ImageReadError(`config ${descriptor.digest} is larger than ${formatBytes(max)}`);
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks);
  verifyDigest(bytes, descriptor.digest, `config ${descriptor.digest}`);
  return bytes;
}

function parseConfig(bytes: Buffer): ImageConfig {
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ImageReadError('the image config is not valid JSON');
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new ImageReadError('the image config is not a JSON object');
  return config as ImageConfig;
}

/** History entries that created a layer (not `empty_layer`), matched to layers in order when the counts agree. */
function layerHistory(config: ImageConfig, layerCount: number): number[] | null {
  const creating = (config.history ?? []).flatMap((h, i) => (h && !h.empty_layer ? [i] : []));
  return creating.length === layerCount ? creating : null;
}

/** Every layer, `concurrency` at a time; the first failure stops the others' downloads. */
async function readLayers(ctx: Context, layers: Layer[], descriptors: Descriptor[]): Promise<LayerScan[]> {
  const budget = new DecompressionBudget(ctx.limits.maxDecompressedBytes);
  const abort = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, abort.signal]) : abort.signal;
  const scans: LayerScan[] = new Array(layers.length);
  let next = 0;
  const worker = async () => {
    while (next < layers.length && !signal.aborted) {
      const i = next++;
      scans[i] = await readLayer(ctx, layers[i], descriptors[i], i, budget, signal);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, layers.length) }, worker));
  } catch (e) {
    abort.abort();
    throw e;
  }
  if (signal.aborted) throw new ImageReadError('reading the image was cancelled');
  return scans;
}

async function readLayer(ctx: Context, layer: Layer, descriptor: Descriptor, index: number, budget: DecompressionBudget, signal: AbortSignal): Promise<LayerScan> {
  // An unverified read never answers for a verified one.
  const key = `${layer.digest}|${ctx.verifyLayers ? 'verified' : 'unverified'}|${ctx.planKey}`;
  const cached = ctx.cache?.get(key);
  if (cached) {
    budget.take(cached.decompressedBytes);
    return cached;
  }
  const blob = await ctx.store.blob(descriptor, signal);
  try {
    const content = await layerContent(blob, layer.digest, layer.size, ctx.verifyLayers, budget);
    let scan: LayerScan;
    try {
      scan = await walkLayer(content.tar, layer, index, ctx.plan);
      content.finish();
    } catch (e) {
      throw content.explain(e as Error);
    }
    scan.decompressedBytes = content.bytes;
    ctx.cache?.set(key, scan);
    return scan;
  } finally {
    blob.destroy();
  }
}

async function assemble<T>(ctx: Context, config: ImageConfig, layers: Layer[], scans: LayerScan[]) {
  const removals = mergeLayers(scans);
  const entries: LayerEntry[] = [];
  const files = new Map<string, LayerFile>();
  const allVersions: LayerFile[] = [];
  const byAnalyzer = new Map<string, { files: Map<string, LayerFile>; allVersions: LayerFile[] }>(ctx.analyzers.map((a) => [a.name, { files: new Map(), allVersions: [] }]));
  const warnings: string[] = [];

  scans.forEach((scan, k) => {
    const layerRemovals = removals[k];
    scan.entries.forEach((e, i) => {
      const removal = layerRemovals[i];
      const entry: LayerEntry = { path: e.path, type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size, layerIndex: k, deleted: removal !== null, removal };
      if (e.linkname !== undefined) entry.linkname = e.linkname;
      entries.push(entry);
    });
    for (const captured of scan.files) {
      const removal = layerRemovals[captured.entry];
      const version = (content: Buffer): LayerFile => ({
        path: captured.path,
        content,
        mode: captured.mode,
        uid: captured.uid,
        gid: captured.gid,
        size: captured.size,
        layer: layers[k],
        layerIndex: k,
        deleted: removal !== null,
        removal,
      });
      const add = (target: { files: Map<string, LayerFile>; allVersions: LayerFile[] }, file: LayerFile) => {
        target.allVersions.push(file);
        if (!file.deleted) target.files.set(file.path, file);
      };
      if (captured.raw) {
        const file = version(captured.raw);
        add({ files, allVersions }, file);
        for (const name of captured.rawFor) add(byAnalyzer.get(name)!, file);
      }
      for (const [name, reduced] of captured.condensed) add(byAnalyzer.get(name)!, version(reduced));
    }
    warnings.push(...scan.warnings);
  });

  const analysis: AnalysisResult = { os: null, packages: [] };
  for (const stage of ['os', 'packages'] as const) {
    for (const analyzer of ctx.analyzers) {
      if ((analyzer.stage ?? 'packages') !== stage) continue;
      const input = byAnalyzer.get(analyzer.name)!;
      try {
        const result = await analyzer.analyze({ ...input, config, os: analysis.os });
        if (result.os && !analysis.os) analysis.os = result.os;
        if (result.packages) analysis.packages.push(...result.packages);
      } catch (e) {
        warnings.push(`analyzer ${analyzer.name} failed: ${message(e)}`);
      }
    }
  }
  if (config.rootfs?.diff_ids && config.rootfs.diff_ids.length !== layers.length) {
    warnings.push(`the config lists ${config.rootfs.diff_ids.length} layer diff_ids but the manifest has ${layers.length} layers`);
  }
  const inspected: InspectedLayer<T>[] = scans.map((scan, k) => ({ layerIndex: k, layerDigest: scan.digest, items: scan.inspected as T[] }));
  return { config, layers, entries, files, allVersions, analysis, inspected, warnings };
}
