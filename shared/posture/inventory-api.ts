// GET /inventory: the cluster inventory, optionally filtered by account, region and connected.
import * as z from 'zod';
import type { InventoryStore } from './inventory.ts';

const query = z.strictObject({
  account: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits').optional(),
  region: z.string().regex(/^[a-z0-9-]{1,32}$/, 'a region such as eu-west-1').optional(),
  connected: z.enum(['true', 'false']).optional(),
});

export async function listInventory(raw: Record<string, string | string[] | undefined> | null | undefined, inventory: InventoryStore): Promise<{ statusCode: number; body: unknown }> {
  const given = Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== undefined));
  const parsed = query.safeParse(given);
  if (!parsed.success) {
    return { statusCode: 400, body: { message: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ') } };
  }
  const { account, region, connected } = parsed.data;
  const clusters = await inventory.list({ account, region, connected: connected === undefined ? undefined : connected === 'true' });
  const notConnected = clusters.filter((c) => !c.connected).length;
  return { statusCode: 200, body: { clusters, summary: { clusters: clusters.length, connected: clusters.length - notConnected, notConnected } } };
}
