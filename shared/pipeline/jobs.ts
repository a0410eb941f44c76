import * as z from 'zod';
import type { ScanJob } from './model.ts';

const common = {
  provider: z.enum(['github', 'gitlab']),
  repo: z.string().min(1),
  projectId: z.union([z.string().min(1), z.number()]),
  installationId: z.number().optional(),
  deliveryId: z.string().min(1),
  url: z.string(),
};

const scanJobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pull-request'), ...common, number: z.number().int().positive(), headSha: z.string().min(7), baseRef: z.string(), headRef: z.string(), defaultBranch: z.string().min(1) }),
  z.object({ type: z.literal('push'), ...common, sha: z.string().min(7), branch: z.string().min(1) }),
]);

/** A queue message as a scan job; anything else is a poison message and throws (it ends in the DLQ). */
export function parseScanJob(body: string): ScanJob {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error('scan job is not JSON');
  }
  const parsed = scanJobSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid scan job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as ScanJob;
}
