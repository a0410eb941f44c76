// The image-jobs queue message: one pushed image to scan, by digest.
import * as z from 'zod';

export type RegistryProvider = 'ecr' | 'distribution' | 'harbor';

export interface ImageScanJob {
  type: 'image-scan';
  /** What reported the push (also an SQS message attribute, for filtering and logs). */
  provider: RegistryProvider;
  /** Registry host[:port] as references name it. */
  registry: string;
  repository: string;
  /** The tag pushed; the image is pulled by digest, the tag only names the scope. */
  tag: string;
  digest: string;
  /** When the registry accepted the push: an older push scanned late changes nothing. */
  pushedAt: string;
  /** The notification's own id (de-duplication). */
  deliveryId: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

const imageScanJobSchema = z.strictObject({
  type: z.literal('image-scan'),
  provider: z.enum(['ecr', 'distribution', 'harbor']),
  registry: z.string().min(1).max(255),
  repository: z.string().min(1).max(255),
  tag: z.string().min(1).max(128),
  digest: z.string().regex(DIGEST, 'expected sha256:<64 hex>'),
  pushedAt: z.iso.datetime({ offset: true }),
  deliveryId: z.string().min(1).max(512),
});

/** A queue message as an image job; anything else is a poison message and throws (it ends in the DLQ). */
export function parseImageScanJob(body: string): ImageScanJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error('image job is not JSON');
  }
  const parsed = imageScanJobSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid image job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** `registry/repository`: the finding scope's image (the tag is its ref). */
export function imageName(job: Pick<ImageScanJob, 'registry' | 'repository'>): string {
  return `${job.registry}/${job.repository}`;
}

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** Repository paths as the Distribution spec allows them (lower-case components separated by `/`). */
export function isRepositoryName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 255 && /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(value);
}

export function isTag(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value);
}
