import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Secret values fetched from Secrets Manager, cached per warm Lambda for a few minutes (rotation still takes effect). */
const CACHE_MS = 5 * 60 * 1000;
const cache = new Map<string, { value: string | null; at: number }>();
let client: SecretsManagerClient | undefined;

/** The secret's string, or null when the operator has not set it yet. Never logged. */
export async function secretString(arn: string | undefined): Promise<string | null> {
  if (!arn) return null;
  const hit = cache.get(arn);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  client ??= new SecretsManagerClient({});
  let value: string | null;
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    value = out.SecretString ?? null;
  } catch (e) {
    // A secret created empty has no version until the operator puts a value.
    if ((e as { name?: string }).name === 'ResourceNotFoundException') value = null;
    else throw e;
  }
  cache.set(arn, { value, at: Date.now() });
  return value;
}

/** A JSON secret ({"token": ...}, {"appId": ..., "privateKey": ...}), or null when unset or not JSON. */
export async function secretJson<T>(arn: string | undefined): Promise<T | null> {
  const raw = await secretString(arn);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
