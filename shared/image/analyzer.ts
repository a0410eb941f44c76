import type { ImageConfig, InstalledPackage, Layer, OsRelease } from './model.ts';

/** A file of a layer as the single streaming pass hands it to an analyzer that asked for its path. */
export interface LayerFile {
  /** Path without a leading `/` (`var/lib/dpkg/status`). */
  path: string;
  /** Regular files: the content (only files an analyzer wants are read, up to the size limit). */
  content: Buffer;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  layer: Layer;
  layerIndex: number;
  /** Not in the final filesystem (a later layer removed or replaced it); set in `allVersions`. */
  deleted?: boolean;
  /** How and by which later layer it was removed, when `deleted`. */
  removal?: Removal | null;
}

/**
 * Why an entry of a layer is not in the final filesystem: a whiteout (`.wh.<name>`) for it or a
 * parent, an opaque-directory marker (`.wh..wh..opq`) on a parent, or a later entry at the same
 * path (or a later non-directory at a parent path) that replaced it.
 */
export interface Removal {
  by: 'whiteout' | 'opaque-directory' | 'replaced';
  /** The layer holding the whiteout, the marker or the replacing entry. */
  layerIndex: number;
}

/** Metadata of every entry of every layer (no content): for permission checks and whiteouts. */
export interface LayerEntry {
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname?: string;
  layerIndex: number;
  /**
   * Not in the final filesystem: removed by a whiteout in a later layer (or an opaque directory),
   * or replaced by a later layer's entry at the same path; `removal` says which.
   */
  deleted: boolean;
  removal?: Removal | null;
}

/** What analyzers produced for one image. */
export interface AnalysisResult {
  os: OsRelease | null;
  packages: InstalledPackage[];
}

/** What `analyze` receives: only the files this analyzer asked for. */
export interface AnalyzerInput {
  files: Map<string, LayerFile>;
  allVersions: LayerFile[];
  config: ImageConfig;
  /** The OS the `os`-stage analyzers detected (absent while they run themselves). */
  os?: OsRelease | null;
}

/**
 * An analyzer declares which paths it needs (Trivy-style); the layer walk reads each layer once and
 * gives every analyzer only the files it asked for. One analyzer per file, registered with `registerAnalyzer`.
 */
export interface Analyzer {
  name: string;
  /**
   * `os` analyzers run first and their result's `os` is handed to the others (package ecosystems
   * carry the distro release). Default `packages`.
   */
  stage?: 'os' | 'packages';
  /** Whether the analyzer needs this file's content (called for every regular file path). */
  wants(path: string): boolean;
  /**
   * A second chance for files `wants` declined, decided on the first bytes (`head`: at least 64 bytes,
   * or the whole file when shorter) and the mode, e.g. ELF executables wherever they are.
   */
  wantsContent?(path: string, head: Buffer, mode: number): boolean;
  /**
   * Reduces a wanted file while its layer streams (the build info of a binary, the pom.properties
   * inside a jar), so large files are neither kept nor cached; `analyze` then receives the reduced
   * bytes as `content`. Null drops the file. `file.content` may be a buffer the walk reuses for the
   * next file: the result must not share memory with it.
   */
  condense?(file: LayerFile): Buffer | null;
  /**
   * Called once per image after the walk, with the wanted files of the FINAL filesystem (later layers
   * win, whiteouts honoured) and, separately, every version of them in any layer.
   */
  analyze(input: AnalyzerInput): Partial<AnalysisResult> | Promise<Partial<AnalysisResult>>;
}

const analyzers: Analyzer[] = [];

export function registerAnalyzer<A extends Analyzer>(analyzer: A): A {
  if (analyzers.some((a) => a.name === analyzer.name)) throw new Error(`analyzer ${analyzer.name} registered twice`);
  analyzers.push(analyzer);
  return analyzer;
}

export function allAnalyzers(): readonly Analyzer[] {
  return analyzers;
}
