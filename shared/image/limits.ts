/**
 * What one image read may cost. Checked before anything is downloaded where the manifest says
 * enough (layer count, declared sizes) and again while streaming (actual bytes), so a lying
 * manifest or a decompression bomb stops with an `ImageLimitError` instead of exhausting memory.
 */
export interface ImageLimits {
  /** Sum of the compressed layer sizes of one platform's image. */
  maxImageBytes: number;
  maxLayers: number;
  /** Largest file whose content is read into memory for an analyzer or a check; larger ones are skipped. */
  maxFileBytes: number;
  /** Decompressed bytes of all layers of one platform's image together. */
  maxDecompressedBytes: number;
  /** Manifests, indexes and image configs (JSON documents). */
  maxManifestBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxImageBytes: 5 * GiB,
  maxLayers: 256,
  maxFileBytes: 64 * MiB,
  maxDecompressedBytes: 16 * GiB,
  maxManifestBytes: 8 * MiB,
};

export function imageLimits(overrides: Partial<ImageLimits> = {}): ImageLimits {
  const limits = { ...DEFAULT_IMAGE_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`image limit ${key} must be a positive integer, got ${value}`);
  }
  return limits;
}

/** Reading an image failed in a way the caller can report (missing blob, corrupt layer, bad manifest). */
export class ImageReadError extends Error {
  override name = 'ImageReadError';
}

/** A limit of `ImageLimits` was exceeded. */
export class ImageLimitError extends ImageReadError {
  override name = 'ImageLimitError';
  constructor(
    readonly limit: keyof ImageLimits,
    message: string,
  ) {
    super(message);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
